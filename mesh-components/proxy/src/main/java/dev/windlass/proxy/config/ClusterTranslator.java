package dev.windlass.proxy.config;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import dev.windlass.proxy.tls.ClientTls;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;

import dev.windlass.contract.MeshTls;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.core.v3.UpstreamHttpProtocolOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Cluster (CDS) to {@link ClusterConfig}. Refuses unknown discovery types and custom cluster types. A TLS
 * transport socket, and those of transport_socket_matches (auto mTLS), are translated ({@link UpstreamTlsTranslator})
 * and compiled here, once per cluster update.
 */
public final class ClusterTranslator {
    static final String HTTP_OPTIONS_KEY = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
    static final String RAW_BUFFER = "envoy.transport_sockets.raw_buffer";

    private ClusterTranslator() {
    }

    /** For a proxy without TLS origination to the mesh (tests, tools): mesh mTLS clusters have no certificate. */
    public static ClusterConfig translate(Cluster cluster) throws InvalidConfigException {
        return translate(cluster, TlsBinder.NONE);
    }

    public static ClusterConfig translate(Cluster cluster, TlsBinder tls) throws InvalidConfigException {
        if (cluster.getName().isEmpty()) {
            throw new InvalidConfigException("cluster without a name");
        }
        ClusterConfig.Type type = type(cluster);
        String edsName = null;
        if (type == ClusterConfig.Type.EDS) {
            String service = cluster.getEdsClusterConfig().getServiceName();
            edsName = service.isEmpty() ? cluster.getName() : service;
        }
        List<UpstreamEndpoint> endpoints = cluster.hasLoadAssignment()
                ? EndpointTranslator.endpoints(cluster.getLoadAssignment()) : List.of();
        String source = cluster.getUpstreamBindConfig().getSourceAddress().getAddress();
        HttpProtocolOptions http = ClusterLimits.httpOptions(cluster);
        ClusterConfig config = new ClusterConfig(cluster.getName(), type, lbPolicy(cluster), protocol(cluster), edsName,
                endpoints, source.isEmpty() ? null : source, dns(cluster, type), ClusterLimits.of(cluster),
                OutlierPolicy.of(cluster), cluster.getLbPolicy() == Cluster.LbPolicy.MAGLEV ? maglevSize(cluster) : ringSize(cluster),
                UpstreamOptions.of(cluster, http), SlowStartTranslator.of(cluster));
        return config.withTransportSockets(transportSockets(cluster, http, tls));
    }

    /** The cluster's transport socket and transport_socket_matches, each compiled once per cluster update. */
    private static TransportSockets transportSockets(Cluster cluster, HttpProtocolOptions http, TlsBinder tls)
            throws InvalidConfigException {
        var upstreamHttp = (http == null ? HttpProtocolOptions.getDefaultInstance() : http).getUpstreamHttpProtocolOptions();
        String where = "cluster " + cluster.getName();
        ClientTls fallback = origination(where, cluster.hasTransportSocket() ? cluster.getTransportSocket() : null,
                upstreamHttp, tls, true);
        List<TransportSockets.Match> matches = new ArrayList<>();
        for (int i = 0; i < cluster.getTransportSocketMatchesCount(); i++) {
            Cluster.TransportSocketMatch match = cluster.getTransportSocketMatches(i);
            String at = where + ": transport_socket_matches[" + i + "]";
            ProtoFields.only(match, at, Set.of("name", "match", "transport_socket"));
            String mode = null;
            for (var field : match.getMatch().getFieldsMap().entrySet()) {
                if (!field.getKey().equals(MeshTls.TLS_MODE_KEY) || !field.getValue().hasStringValue()) {
                    throw new InvalidConfigException(at + ".match." + field.getKey() + " is not supported by Windlass"
                            + " (only the string " + MeshTls.TLS_MODE_KEY + ")");
                }
                mode = field.getValue().getStringValue();
            }
            matches.add(new TransportSockets.Match(match.getName(), mode,
                    origination(at, match.hasTransportSocket() ? match.getTransportSocket() : null, upstreamHttp, tls, false)));
        }
        return new TransportSockets(fallback, matches);
    }

    /**
     * TLS, or null for none or Envoy's raw_buffer (plain text). {@code required}: the cluster's own transport
     * socket, which mesh mTLS without a workload identity must fail rather than turn into plain text (an auto-mTLS
     * match may: its endpoints also take plain text).
     */
    private static ClientTls origination(String where, TransportSocket socket, UpstreamHttpProtocolOptions http,
                                         TlsBinder tls, boolean required) throws InvalidConfigException {
        if (socket == null || socket.getName().equals(RAW_BUFFER)) {
            if (socket != null) {
                ProtoFields.only(socket, where, Set.of("name", "typed_config"));
            }
            return null;
        }
        UpstreamTls settings = UpstreamTlsTranslator.translate(where, socket, http);
        ClientTls client = tls.client(where, settings);
        return client == null && required && settings.usesWorkloadIdentity() ? ClientTls.withoutCertificate(where, settings) : client;
    }

    /** Envoy: the ring has at least minimum_ring_size entries (default 1024), at most maximum_ring_size (8M). */
    private static int ringSize(Cluster cluster) {
        if (!cluster.getRingHashLbConfig().hasMinimumRingSize()) {
            return ClusterConfig.DEFAULT_RING_SIZE;
        }
        return (int) Math.clamp(cluster.getRingHashLbConfig().getMinimumRingSize().getValue(), 1, 8_388_608);
    }

    /** Envoy: the Maglev table has table_size entries (default 65537), which must be prime. */
    private static int maglevSize(Cluster cluster) throws InvalidConfigException {
        if (!cluster.getMaglevLbConfig().hasTableSize()) {
            return MaglevTable.DEFAULT_SIZE;
        }
        long size = cluster.getMaglevLbConfig().getTableSize().getValue();
        if (size > 5_000_011 || !MaglevTable.prime(size)) {
            throw new InvalidConfigException("cluster " + cluster.getName() + ": maglev table_size " + size
                    + " must be a prime of at most 5000011");
        }
        return (int) size;
    }

    /**
     * How a DNS cluster re-resolves. The resolver asks for IPv4 addresses only (Istio's V4_ONLY), so a cluster that
     * wants IPv6 alone is refused rather than served the wrong family.
     */
    private static ClusterConfig.DnsRefresh dns(Cluster cluster, ClusterConfig.Type type) throws InvalidConfigException {
        if (type != ClusterConfig.Type.STRICT_DNS && type != ClusterConfig.Type.LOGICAL_DNS) {
            return null;
        }
        if (cluster.getDnsLookupFamily() == Cluster.DnsLookupFamily.V6_ONLY) {
            throw new InvalidConfigException("cluster " + cluster.getName() + ": dns_lookup_family V6_ONLY is not supported");
        }
        java.time.Duration rate = cluster.hasDnsRefreshRate()
                ? java.time.Duration.ofSeconds(cluster.getDnsRefreshRate().getSeconds(), cluster.getDnsRefreshRate().getNanos())
                : ClusterConfig.DnsRefresh.ENVOY_DEFAULT.rate();
        return new ClusterConfig.DnsRefresh(rate, cluster.getRespectDnsTtl());
    }

    private static ClusterConfig.Type type(Cluster cluster) throws InvalidConfigException {
        if (cluster.getClusterDiscoveryTypeCase() != Cluster.ClusterDiscoveryTypeCase.TYPE
                && cluster.getClusterDiscoveryTypeCase() != Cluster.ClusterDiscoveryTypeCase.CLUSTERDISCOVERYTYPE_NOT_SET) {
            throw new InvalidConfigException("cluster " + cluster.getName() + ": unsupported cluster type "
                    + cluster.getClusterType().getName());
        }
        return switch (cluster.getType()) {
            case STATIC -> ClusterConfig.Type.STATIC;
            case STRICT_DNS -> ClusterConfig.Type.STRICT_DNS;
            case LOGICAL_DNS -> ClusterConfig.Type.LOGICAL_DNS;
            case EDS -> ClusterConfig.Type.EDS;
            case ORIGINAL_DST -> ClusterConfig.Type.ORIGINAL_DST;
            default -> throw new InvalidConfigException("cluster " + cluster.getName() + ": unknown discovery type "
                    + cluster.getTypeValue());
        };
    }

    private static ClusterConfig.LbPolicy lbPolicy(Cluster cluster) {
        return switch (cluster.getLbPolicy()) {
            case LEAST_REQUEST -> ClusterConfig.LbPolicy.LEAST_REQUEST;
            case RANDOM -> ClusterConfig.LbPolicy.RANDOM;
            case RING_HASH -> ClusterConfig.LbPolicy.RING_HASH;
            case MAGLEV -> ClusterConfig.LbPolicy.MAGLEV;
            default -> ClusterConfig.LbPolicy.ROUND_ROBIN;
        };
    }

    private static ClusterConfig.Protocol protocol(Cluster cluster) throws InvalidConfigException {
        Any options = cluster.getTypedExtensionProtocolOptionsMap().get(HTTP_OPTIONS_KEY);
        if (options != null) {
            try {
                HttpProtocolOptions http = options.unpack(HttpProtocolOptions.class);
                return switch (http.getUpstreamProtocolOptionsCase()) {
                    case EXPLICIT_HTTP_CONFIG -> http.getExplicitHttpConfig().hasHttp2ProtocolOptions()
                            ? ClusterConfig.Protocol.HTTP2 : ClusterConfig.Protocol.HTTP1;
                    case USE_DOWNSTREAM_PROTOCOL_CONFIG -> ClusterConfig.Protocol.DOWNSTREAM;
                    default -> ClusterConfig.Protocol.HTTP1;
                };
            } catch (InvalidProtocolBufferException e) {
                throw new InvalidConfigException("cluster " + cluster.getName() + ": bad " + HTTP_OPTIONS_KEY, e);
            }
        }
        return cluster.hasHttp2ProtocolOptions() ? ClusterConfig.Protocol.HTTP2 : ClusterConfig.Protocol.HTTP1;
    }
}
