package dev.windlass.discovery.xds;

import dev.windlass.discovery.model.MeshSettings;
import dev.windlass.discovery.model.MeshSnapshot;
import dev.windlass.discovery.model.PodModel;
import dev.windlass.discovery.model.Protocol;
import dev.windlass.discovery.model.ServiceModel;
import dev.windlass.discovery.model.ServicePortModel;
import dev.windlass.discovery.routing.ClusterRef;
import dev.windlass.discovery.routing.DestinationPolicy;
import dev.windlass.discovery.routing.TrafficRules;
import dev.windlass.discovery.routing.Workload;

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

    TrafficRules traffic() {
        return snapshot.traffic();
    }

    /** The proxy's workload, for rules with source conditions; without its pod, only the namespace is known. */
    Workload workload() {
        return new Workload(node.namespace(), pod.map(PodModel::labels).orElse(java.util.Map.of()));
    }

    /** The DestinationRule policy that applies to this proxy's traffic to {@code service}, if any. */
    Optional<DestinationPolicy> destinationPolicy(ServiceModel service) {
        return traffic().destinations().forClient(fqdn(service), service.namespace(), node.namespace());
    }

    /**
     * The cluster name of a route destination. A destination without a port takes the Service's only port, or
     * else the port the request arrived on (Istio's choice).
     */
    String clusterName(ClusterRef ref, int listenerPort) {
        int port = ref.port();
        if (port == 0) {
            port = snapshot.serviceByHost(ref.host()).filter(s -> s.ports().size() == 1)
                    .map(s -> s.ports().getFirst().port()).orElse(listenerPort);
        }
        return IstioNames.outboundCluster(port, ref.subset(), ref.host());
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
