package dev.windlass.discovery.model;

import java.util.List;
import java.util.Map;

/**
 * One EndpointSlice of a Service: its ports by name (the unnamed port of a single-port Service is "") and its
 * endpoints. Slices are kept as they are, so a Service may have several; EDS merges them.
 */
public record EndpointSliceModel(String name, String namespace, String serviceName, Map<String, Integer> ports,
                                 List<Endpoint> endpoints) {
    public EndpointSliceModel {
        ports = Map.copyOf(ports);
        endpoints = List.copyOf(endpoints);
    }

    public String serviceKey() {
        return namespace + "/" + serviceName;
    }

    /**
     * One address of the slice. {@code podName} is the targetRef's name when it refers to a Pod, else null.
     * {@code ready} already folds Kubernetes' rule that an absent condition means ready.
     */
    public record Endpoint(String address, boolean ready, String podName) {
    }
}
