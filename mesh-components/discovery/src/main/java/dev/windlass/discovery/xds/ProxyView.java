package dev.windlass.discovery.xds;

import dev.windlass.contract.IstioNames;
import dev.windlass.discovery.model.MeshSettings;
import dev.windlass.discovery.model.MeshSnapshot;
import dev.windlass.discovery.model.PodModel;
import dev.windlass.discovery.model.Protocol;
import dev.windlass.discovery.model.ServiceEntryHost;
import dev.windlass.discovery.model.ServiceModel;
import dev.windlass.discovery.model.ServicePortModel;
import dev.windlass.discovery.routing.ClusterRef;
import dev.windlass.discovery.routing.DestinationPolicy;
import dev.windlass.discovery.routing.GatewayConfig;
import dev.windlass.discovery.routing.TrafficRules;
import dev.windlass.discovery.routing.Workload;
import dev.windlass.discovery.security.PeerPolicy;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The registry as one proxy sees it: the snapshot, the proxy's identity, its pod (when the Pod informer has it),
 * the inbound ports that follow from the Services selecting that pod, and the ServiceEntry hosts exported to its
 * namespace (one per host; none that is a Service's FQDN).
 */
record ProxyView(MeshSnapshot snapshot, ProxyNode node, Optional<PodModel> pod, SortedMap<Integer, Protocol> inboundPorts,
                 List<ServiceEntryHost> entries) {

    static ProxyView of(MeshSnapshot snapshot, ProxyNode node) {
        Optional<PodModel> pod = snapshot.proxyPod(node.ip(), node.namespace(), node.podName());
        SortedMap<Integer, Protocol> inbound = node.type() == ProxyNode.Type.SIDECAR && pod.isPresent()
                ? inboundPorts(snapshot, pod.get()) : new TreeMap<>();
        List<ServiceEntryHost> entries = snapshot.serviceEntries().visibleFrom(node.namespace(), snapshot.serviceHosts());
        return new ProxyView(snapshot, node, pod, Collections.unmodifiableSortedMap(inbound), entries);
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

    /**
     * The AuthorizationPolicies and RequestAuthentications of this proxy's pod (a sidecar's or a gateway's), as the
     * RBAC and JWT filters of the chains it serves.
     */
    InboundRbac inboundRbac() {
        return new InboundRbac(pod.map(p -> traffic().authorizations().forWorkload(p.namespace(), p.labels())).orElse(List.of()),
                pod.map(p -> traffic().authentications().forWorkload(p.namespace(), p.labels())).orElse(List.of()),
                snapshot.jwks());
    }

    /** The mTLS this sidecar's inbound side accepts, from the PeerAuthentications that apply to its pod. */
    PeerPolicy peerPolicy() {
        return pod.map(p -> traffic().peers().forWorkload(p.namespace(), p.labels())).orElse(PeerPolicy.PERMISSIVE);
    }

    /** The gateways that configure this gateway proxy, by its pod's labels, oldest first; none until its pod is known. */
    List<GatewayConfig> gateways() {
        return pod.map(p -> traffic().gateways().selecting(p.labels())).orElse(List.of());
    }

    /**
     * The port a gateway pod listens on for a server's port, as Istio resolves it for label-selected gateways: the
     * targetPort of the first port of that number among the Services selecting the pod, else the number itself
     * (Windlass's gateway Services map each port to itself, so both read the same).
     */
    int gatewayListenerPort(int serverPort) {
        if (pod.isEmpty()) {
            return serverPort;
        }
        for (ServiceModel service : snapshot.services()) {
            if (service.selects(pod.get())) {
                for (ServicePortModel port : service.ports()) {
                    int target = port.port() == serverPort ? port.targetPortOn(pod.get()) : -1;
                    if (target > 0) {
                        return target;
                    }
                }
            }
        }
        return serverPort;
    }

    /** The proxy's workload, for rules with source conditions; without its pod, only the namespace is known. */
    Workload workload() {
        return new Workload(node.namespace(), pod.map(PodModel::labels).orElse(java.util.Map.of()));
    }

    /** The DestinationRule policy that applies to this proxy's traffic to {@code service}, if any. */
    Optional<DestinationPolicy> destinationPolicy(ServiceModel service) {
        return traffic().destinations().forClient(fqdn(service), service.namespace(), node.namespace());
    }

    /** The DestinationRule policy that applies to this proxy's traffic to a ServiceEntry host, if any. */
    Optional<DestinationPolicy> destinationPolicy(ServiceEntryHost entry) {
        return traffic().destinations().forClient(entry.host(), entry.namespace(), node.namespace());
    }

    /**
     * The cluster name of a route destination. A destination without a port takes the Service's (or the
     * ServiceEntry host's) only port, or else the port the request arrived on (Istio's choice).
     */
    String clusterName(ClusterRef ref, int listenerPort) {
        return IstioNames.outboundCluster(port(ref, listenerPort), ref.subset(), ref.host());
    }

    /** What a route destination's cluster hashes by (its DestinationRule's consistentHash key), if anything. */
    Optional<DestinationPolicy.HashKey> hashKey(ClusterRef ref, int listenerPort) {
        int port = port(ref, listenerPort);
        Optional<DestinationPolicy> policy = snapshot.serviceByHost(ref.host()).flatMap(this::destinationPolicy)
                .or(() -> entries.stream().filter(e -> e.host().equals(ref.host())).findFirst().flatMap(this::destinationPolicy));
        return policy.flatMap(p -> p.settings(port, ref.subset()).consistentHash()).map(DestinationPolicy.ConsistentHash::key);
    }

    private int port(ClusterRef ref, int listenerPort) {
        int port = ref.port();
        if (port == 0) {
            port = snapshot.serviceByHost(ref.host()).filter(s -> s.ports().size() == 1)
                    .map(s -> s.ports().getFirst().port())
                    .or(() -> entries.stream().filter(e -> e.host().equals(ref.host()) && e.ports().size() == 1)
                            .findFirst().map(e -> e.ports().getFirst().number()))
                    .orElse(listenerPort);
        }
        return port;
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
