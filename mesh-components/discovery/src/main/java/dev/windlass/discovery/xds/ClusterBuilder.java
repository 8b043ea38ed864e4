package dev.windlass.discovery.xds;

import com.google.protobuf.Any;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.windlass.contract.IstioNames;
import dev.windlass.contract.MeshPorts;
import dev.windlass.discovery.model.Protocol;
import dev.windlass.discovery.model.ServiceEntryHost;
import dev.windlass.discovery.model.ServiceModel;
import dev.windlass.discovery.model.ServicePortModel;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.BindConfig;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;

import dev.windlass.discovery.routing.DestinationPolicy;
import dev.windlass.discovery.routing.DestinationPolicy.LoadBalancing;
import dev.windlass.discovery.routing.TrafficSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * CDS: an EDS cluster {@code outbound|<port>|<subset>|<fqdn>} per Service port and DestinationRule subset
 * (and the default one, subset ""), with the rule's load balancing, connection pool, outlier detection and TLS
 * origination as merged for that port and subset; the same per ServiceEntry host and port, typed
 * by the entry's resolution; a STATIC {@code inbound|<port>||} per
 * inbound port (the app on 127.0.0.1, dialled from 127.0.0.6), and the three catch-all clusters.
 */
final class ClusterBuilder {
    /** The typed_extension_protocol_options key under which Envoy reads upstream HTTP settings. */
    static final String HTTP_PROTOCOL_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

    private ClusterBuilder() {
    }

    static SortedMap<String, Cluster> build(ProxyView view) {
        SortedMap<String, Cluster> clusters = new TreeMap<>();
        for (ServiceModel service : view.snapshot().services()) {
            Optional<DestinationPolicy> policy = view.destinationPolicy(service);
            List<String> identities = MeshMtls.identities(view.snapshot(), service);
            for (ServicePortModel port : service.ports()) {
                for (String subset : subsets(policy)) {
                    TrafficSettings settings = settings(policy, port.port(), subset);
                    Cluster cluster = resilience(outbound(service, view.fqdn(service), port, subset,
                            settings.loadBalancing()), settings, port.protocol(), identities, gateway(view));
                    clusters.put(cluster.getName(), cluster);
                }
            }
        }
        for (ServiceEntryHost entry : view.entries()) {
            Optional<DestinationPolicy> policy = view.destinationPolicy(entry);
            for (ServiceEntryHost.Port port : entry.ports()) {
                for (String subset : subsets(policy)) {
                    TrafficSettings settings = settings(policy, port.number(), subset);
                    Optional<DestinationPolicy.Subset> labels = policy.flatMap(p -> p.subset(subset));
                    Cluster cluster = resilience(entry(entry, port, subset, settings.loadBalancing(), labels).toBuilder(),
                            settings, port.protocol(), List.of(), gateway(view));
                    clusters.put(cluster.getName(), cluster);
                }
            }
        }
        view.inboundPorts().forEach((port, protocol) -> clusters.put(IstioNames.inboundCluster(port), inbound(port, protocol)));
        for (Cluster cluster : new Cluster[] {passthrough(), blackhole(), inboundPassthrough()}) {
            clusters.put(cluster.getName(), cluster);
        }
        return clusters;
    }

    /** Gateways read Secrets of their namespace (a DestinationRule's credentialName); sidecars do not. */
    private static boolean gateway(ProxyView view) {
        return view.node().type() == ProxyNode.Type.ROUTER;
    }

    /** The default cluster ("" subset) and one per subset of the DestinationRule that applies. */
    private static List<String> subsets(Optional<DestinationPolicy> policy) {
        List<String> names = new ArrayList<>(List.of(""));
        policy.ifPresent(p -> p.subsets().forEach(s -> names.add(s.name())));
        return names;
    }

    /** The settings of the cluster (port, subset) under the DestinationRule that applies, if any. */
    private static TrafficSettings settings(Optional<DestinationPolicy> policy, int port, String subset) {
        return policy.map(p -> p.settings(port, subset)).orElse(TrafficSettings.NONE);
    }

    /**
     * The cluster's connection pool (with its HTTP/2 settings), outlier detection and TLS origination (as
     * {@link DestinationPolicy#settings} merges them), its load balancer's slow start, and a consistent hash's
     * table: a ring of its size (Envoy's 1024 unless said, as Istio writes it), or Maglev with its table size when
     * said. Without a DestinationRule tls, auto mTLS on HTTP ports to the service's mesh pods, whose
     * {@code identities} the server must present one of (TCP stays plain text: the proxy does not terminate TLS
     * before tcp_proxy yet).
     */
    private static Cluster resilience(Cluster.Builder cluster, TrafficSettings settings, Protocol protocol,
                                      List<String> identities, boolean gateway) {
        settings.consistentHash().filter(h -> cluster.getLbPolicy() == Cluster.LbPolicy.RING_HASH)
                .ifPresent(h -> hashTable(cluster, h));
        if (settings.lb() != null && settings.lb().warmup() != null) {
            SlowStarts.apply(cluster, settings.lb().warmup());
        }
        Http2Options.apply(cluster, protocol, settings.pool());
        // After Http2Options: an HTTP/2 cluster (h2UpgradePolicy UPGRADE too) offers h2 by ALPN.
        return UpstreamTls.apply(OutlierDetections.apply(ConnectionPools.apply(cluster, settings.pool()),
                settings.outlier()), settings.tls(), identities, gateway).build();
    }

    private static void hashTable(Cluster.Builder cluster, DestinationPolicy.ConsistentHash hash) {
        if (hash.maglev()) {
            cluster.setLbPolicy(Cluster.LbPolicy.MAGLEV);
            if (hash.maglevTableSize() != null) {
                cluster.getMaglevLbConfigBuilder().setTableSize(com.google.protobuf.UInt64Value.of(hash.maglevTableSize()));
            }
            return;
        }
        cluster.getRingHashLbConfigBuilder().setMinimumRingSize(com.google.protobuf.UInt64Value.of(
                hash.minimumRingSize() == null ? 1024 : hash.minimumRingSize()));
    }

    /**
     * An EDS cluster, or with PASSTHROUGH load balancing an ORIGINAL_DST one: the connection goes where the app
     * sent it (the ClusterIP), as Istio does.
     */
    private static Cluster.Builder outbound(ServiceModel service, String fqdn, ServicePortModel port, String subset,
                                            LoadBalancing lb) {
        String name = IstioNames.outboundCluster(port.port(), subset, fqdn);
        Cluster.Builder cluster = Cluster.newBuilder().setName(name)
                .setConnectTimeout(Envoy.CONNECT_TIMEOUT)
                .setMetadata(metadata(fqdn, service.name(), service.namespace(), subset));
        if (lb == LoadBalancing.PASSTHROUGH) {
            cluster.setType(Cluster.DiscoveryType.ORIGINAL_DST).setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED);
        } else {
            cluster.setType(Cluster.DiscoveryType.EDS)
                    .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(Envoy.ads()).setServiceName(name))
                    .setLbPolicy(lbPolicy(lb));
        }
        return withProtocol(cluster, port.protocol());
    }

    /**
     * The cluster of a ServiceEntry host's port, by its resolution as Istio builds it: NONE (or PASSTHROUGH load
     * balancing) connects to the original destination; STATIC is an EDS cluster of the listed endpoints; DNS a
     * STRICT_DNS cluster over every listed name (each name's every address); DNS_ROUND_ROBIN a LOGICAL_DNS one
     * (one address at a time). The proxy resolves names itself and, like Envoy under Istio, honours the TTL.
     */
    private static Cluster entry(ServiceEntryHost entry, ServiceEntryHost.Port port, String subset, LoadBalancing lb,
                                 Optional<DestinationPolicy.Subset> labels) {
        String name = IstioNames.outboundCluster(port.number(), subset, entry.host());
        Cluster.Builder cluster = Cluster.newBuilder().setName(name).setConnectTimeout(Envoy.CONNECT_TIMEOUT)
                .setMetadata(metadata(entry.host(), entry.host(), entry.namespace(), subset));
        if (lb == LoadBalancing.PASSTHROUGH || entry.resolution() == ServiceEntryHost.Resolution.NONE) {
            cluster.setType(Cluster.DiscoveryType.ORIGINAL_DST).setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED);
            return withProtocol(cluster, port.protocol()).build();
        }
        cluster.setLbPolicy(lbPolicy(lb));
        switch (entry.resolution()) {
            case STATIC -> cluster.setType(Cluster.DiscoveryType.EDS)
                    .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(Envoy.ads()).setServiceName(name));
            case DNS, DNS_ROUND_ROBIN -> cluster.setType(entry.resolution() == ServiceEntryHost.Resolution.DNS
                            ? Cluster.DiscoveryType.STRICT_DNS : Cluster.DiscoveryType.LOGICAL_DNS)
                    .setDnsLookupFamily(Cluster.DnsLookupFamily.V4_ONLY)
                    .setRespectDnsTtl(true)
                    .setDnsRefreshRate(DNS_REFRESH_RATE)
                    .setLoadAssignment(EndpointBuilder.entryAssignment(entry, port, name, labels.orElse(null)));
            default -> throw new IllegalStateException("no cluster type for " + entry.resolution());
        }
        return withProtocol(cluster, port.protocol()).build();
    }

    /** Istio's meshConfig.dnsRefreshRate default: how often to re-resolve when an answer carries no usable TTL. */
    private static final com.google.protobuf.Duration DNS_REFRESH_RATE = com.google.protobuf.Duration.newBuilder().setSeconds(60).build();

    private static Cluster.LbPolicy lbPolicy(LoadBalancing lb) {
        return switch (lb) {
            case LEAST_REQUEST -> Cluster.LbPolicy.LEAST_REQUEST;
            case RANDOM -> Cluster.LbPolicy.RANDOM;
            case CONSISTENT_HASH -> Cluster.LbPolicy.RING_HASH;
            default -> Cluster.LbPolicy.ROUND_ROBIN;
        };
    }

    /**
     * Istio's cluster metadata {@code istio.services[{host, name, namespace}]}: the destination_service labels. A
     * ServiceEntry host's name is the host itself, as in Istio.
     */
    private static io.envoyproxy.envoy.config.core.v3.Metadata metadata(String fqdn, String serviceName,
                                                                        String namespace, String subset) {
        Struct entry = Struct.newBuilder().putFields("host", Envoy.string(fqdn))
                .putFields("name", Envoy.string(serviceName))
                .putFields("namespace", Envoy.string(namespace)).build();
        Value services = Value.newBuilder().setListValue(ListValue.newBuilder()
                .addValues(Value.newBuilder().setStructValue(entry))).build();
        Map<String, Value> fields = new java.util.TreeMap<>(Map.of("services", services));
        if (!subset.isEmpty()) {
            fields.put("subset", Envoy.string(subset));
        }
        return Envoy.istioMetadata(fields);
    }

    private static Cluster inbound(int port, Protocol protocol) {
        String name = IstioNames.inboundCluster(port);
        ClusterLoadAssignment app = ClusterLoadAssignment.newBuilder().setClusterName(name)
                .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(LbEndpoint.newBuilder()
                        .setEndpoint(io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
                                .setAddress(Envoy.address("127.0.0.1", port)))))
                .build();
        Cluster.Builder cluster = Cluster.newBuilder().setName(name)
                .setType(Cluster.DiscoveryType.STATIC)
                .setConnectTimeout(Envoy.CONNECT_TIMEOUT)
                .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN)
                .setLoadAssignment(app)
                .setUpstreamBindConfig(inboundSource());
        return withProtocol(cluster, protocol).build();
    }

    /** Upstream HTTP/2 (h2c) for gRPC and http2 ports: the app speaks nothing else there. */
    private static Cluster.Builder withProtocol(Cluster.Builder cluster, Protocol protocol) {
        if (protocol.isHttp2()) {
            HttpProtocolOptions options = HttpProtocolOptions.newBuilder()
                    .setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                            .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
                    .build();
            cluster.putTypedExtensionProtocolOptions(HTTP_PROTOCOL_OPTIONS, Any.pack(options));
        }
        return cluster;
    }

    /** Unknown outbound destinations under ALLOW_ANY: connect to the original destination. */
    private static Cluster passthrough() {
        return originalDst(IstioNames.PASSTHROUGH).build();
    }

    /** Inbound traffic to a port no Service declares: pass it to the app, as the app's own caller would. */
    private static Cluster inboundPassthrough() {
        return originalDst(IstioNames.INBOUND_PASSTHROUGH).setUpstreamBindConfig(inboundSource()).build();
    }

    private static Cluster.Builder originalDst(String name) {
        return Cluster.newBuilder().setName(name)
                .setType(Cluster.DiscoveryType.ORIGINAL_DST)
                .setConnectTimeout(Envoy.CONNECT_TIMEOUT)
                .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED);
    }

    /** No endpoints at all: every connection to it fails, which is the point under REGISTRY_ONLY. */
    private static Cluster blackhole() {
        return Cluster.newBuilder().setName(IstioNames.BLACKHOLE)
                .setType(Cluster.DiscoveryType.STATIC)
                .setConnectTimeout(Envoy.CONNECT_TIMEOUT).build();
    }

    private static BindConfig inboundSource() {
        return BindConfig.newBuilder()
                .setSourceAddress(SocketAddress.newBuilder().setAddress(MeshPorts.INBOUND_SOURCE).setPortValue(0)).build();
    }
}
