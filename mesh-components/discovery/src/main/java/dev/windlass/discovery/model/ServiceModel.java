package dev.windlass.discovery.model;

import java.util.List;
import java.util.Map;

/**
 * What the translation needs of a Kubernetes Service. {@code clusterIp} is null for headless Services
 * ({@code clusterIP: None}), which get clusters and routes but no ClusterIP-matched TCP chains.
 */
public record ServiceModel(String name, String namespace, String clusterIp, Map<String, String> selector,
                           List<ServicePortModel> ports) {
    public ServiceModel {
        selector = Map.copyOf(selector);
        ports = List.copyOf(ports);
    }

    public String key() {
        return namespace + "/" + name;
    }

    /** {@code name.ns.svc.<clusterDomain>}, the host in Istio's cluster names. */
    public String fqdn(String clusterDomain) {
        return name + "." + namespace + ".svc." + clusterDomain;
    }

    /** A Service selects a pod of its own namespace when its non-empty selector is a subset of the pod labels. */
    public boolean selects(PodModel pod) {
        return !selector.isEmpty() && namespace.equals(pod.namespace())
                && selector.entrySet().stream().allMatch(e -> e.getValue().equals(pod.labels().get(e.getKey())));
    }
}
