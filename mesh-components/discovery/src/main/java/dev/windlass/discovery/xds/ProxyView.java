package dev.windlass.discovery.xds;

import dev.windlass.discovery.model.MeshSettings;
import dev.windlass.discovery.model.MeshSnapshot;
import dev.windlass.discovery.model.PodModel;
import dev.windlass.discovery.model.Protocol;
import dev.windlass.discovery.model.ServiceModel;
import dev.windlass.discovery.model.ServicePortModel;

import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The registry as one proxy sees it: the snapshot, the proxy's identity, its pod (when the Pod informer has it),
 * and the inbound ports that follow from the Services selecting that pod.
 */
record ProxyView(MeshSnapshot snapshot, ProxyNode node, Optional<PodModel> pod, SortedMap<Integer, Protocol> inboundPorts) {

    static ProxyView of(MeshSnapshot snapshot, ProxyNode node) {
        Optional<PodModel> pod = snapshot.proxyPod(node.ip(), node.namespace(), node.podName());
        SortedMap<Integer, Protocol> inbound = node.type() == ProxyNode.Type.SIDECAR && pod.isPresent()
                ? inboundPorts(snapshot, pod.get()) : new TreeMap<>();
        return new ProxyView(snapshot, node, pod, Collections.unmodifiableSortedMap(inbound));
    }

    /**
     * The container ports that Services reach on this pod, with their protocol. When two Services target the
     * same port with different protocols, the first by namespace/name wins (they are sorted), so the result
     * is stable.
     */
    private static SortedMap<Integer, Protocol> inboundPorts(MeshSnapshot snapshot, PodModel pod) {
        SortedMap<Integer, Protocol> ports = new TreeMap<>();
        for (ServiceModel service : snapshot.services()) {
            if (!service.selects(pod)) {
                continue;
            }
            for (ServicePortModel port : service.ports()) {
                int target = port.targetPortOn(pod);
                if (target > 0) {
                    ports.putIfAbsent(target, port.protocol());
                }
            }
        }
        return ports;
    }

    MeshSettings settings() {
        return snapshot.settings();
    }

    String fqdn(ServiceModel service) {
        return service.fqdn(settings().clusterDomain());
    }

    /** The cluster that unknown outbound destinations go to under the mesh's outbound traffic policy. */
    String fallbackCluster() {
        return settings().outboundPolicy() == MeshSettings.OutboundPolicy.ALLOW_ANY
                ? IstioNames.PASSTHROUGH : IstioNames.BLACKHOLE;
    }
}
