package dev.windlass.discovery.xds;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.Struct;
import dev.windlass.contract.MeshTls;
import dev.windlass.contract.SpiffeId;
import dev.windlass.discovery.model.EndpointSliceModel;
import dev.windlass.discovery.model.MeshSnapshot;
import dev.windlass.discovery.model.PodModel;
import dev.windlass.discovery.model.ServiceModel;
import dev.windlass.discovery.security.MtlsMode;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Mesh mTLS as Istio writes it. A client side: auto mTLS, two transport_socket_matches on a cluster, mTLS to the
 * endpoints whose pod has a sidecar with a certificate ({@code tlsMode: istio}) and plain text to the rest, the
 * client presenting its workload certificate (SDS {@code default}), checking the server's against the mesh's trust
 * bundle (SDS {@code ROOTCA}) and the SPIFFE ids of the service's pods, offering Istio's ALPN, with Istio's SNI
 * {@code outbound_.<port>_.<subset>_.<host>}. A server side: the DownstreamTlsContext of a sidecar's inbound mTLS
 * chain, which requires a client certificate from the mesh.
 */
final class MeshMtls {
    static final String RAW_BUFFER = "envoy.transport_sockets.raw_buffer";
    private static final TransportSocket PLAIN = TransportSocket.newBuilder().setName(RAW_BUFFER)
            .setTypedConfig(Any.pack(io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer.getDefaultInstance()))
            .build();

    private MeshMtls() {
    }

    /**
     * Auto mTLS on an EDS cluster (other types have no pod endpoints to tell apart). {@code identities}: the SPIFFE
     * ids the server may present, those of the service's mesh pods as Istio lists them; empty (a ServiceEntry, a
     * service without mesh pods yet): any id of the trust domain.
     */
    static Cluster.Builder auto(Cluster.Builder cluster, List<String> identities) {
        if (cluster.getType() != Cluster.DiscoveryType.EDS) {
            return cluster;
        }
        Struct mesh = Struct.newBuilder().putFields(MeshTls.TLS_MODE_KEY, Envoy.string(MeshTls.TLS_MODE_MESH)).build();
        return cluster
                .addTransportSocketMatches(Cluster.TransportSocketMatch.newBuilder().setName(MeshTls.MATCH_MESH)
                        .setMatch(mesh).setTransportSocket(upstream(sni(cluster.getName()), identities)))
                .addTransportSocketMatches(Cluster.TransportSocketMatch.newBuilder().setName(MeshTls.MATCH_PLAIN)
                        .setMatch(Struct.getDefaultInstance()).setTransportSocket(PLAIN));
    }

    /** The endpoint metadata that marks a pod whose sidecar takes mesh mTLS. */
    static Struct endpointMatch() {
        return Struct.newBuilder().putFields(MeshTls.TLS_MODE_KEY, Envoy.string(MeshTls.TLS_MODE_MESH)).build();
    }

    /** The SPIFFE ids of the service's pods whose sidecar takes mesh mTLS, sorted. */
    static List<String> identities(MeshSnapshot snapshot, ServiceModel service) {
        SortedSet<String> ids = new TreeSet<>();
        for (EndpointSliceModel slice : snapshot.slices(service)) {
            for (EndpointSliceModel.Endpoint endpoint : slice.endpoints()) {
                if (endpoint.podName() != null) {
                    snapshot.pod(service.namespace(), endpoint.podName()).filter(MeshMtls::takesMeshMtls).ifPresent(pod ->
                            ids.add(new SpiffeId(SpiffeId.DEFAULT_TRUST_DOMAIN, pod.namespace(), pod.serviceAccount()).uri()));
                }
            }
        }
        return List.copyOf(ids);
    }

    /**
     * Whether clients send mesh mTLS to this port of the pod: its sidecar holds a certificate, and its
     * PeerAuthentications do not DISABLE mTLS there (Istio's EDS leaves such endpoints unmarked too).
     */
    static boolean takesMeshMtls(MeshSnapshot snapshot, PodModel pod, int port) {
        return takesMeshMtls(pod)
                && snapshot.traffic().peers().forWorkload(pod.namespace(), pod.labels()).mode(port) != MtlsMode.DISABLE;
    }

    /** The injector's mark of a sidecar that holds a workload certificate. */
    static boolean takesMeshMtls(PodModel pod) {
        return MeshTls.POD_LABEL_VALUE.equals(pod.labels().get(MeshTls.POD_LABEL));
    }

    /** The client side of mesh mTLS: the workload certificate, and a server of {@code identities} (empty: the trust domain). */
    static TransportSocket upstream(String sni, List<String> identities) {
        CommonTlsContext.Builder common = identities.isEmpty() ? common(TRUST_DOMAIN) : common(exact(identities));
        UpstreamTlsContext context = UpstreamTlsContext.newBuilder().setSni(sni)
                .setCommonTlsContext(common.addAllAlpnProtocols(MeshTls.ALPN)).build();
        return TransportSocket.newBuilder().setName(GatewayTls.TRANSPORT_SOCKET).setTypedConfig(Any.pack(context)).build();
    }

    /** A sidecar's inbound mTLS termination: its certificate, and a client certificate required from the mesh. */
    static TransportSocket downstream() {
        DownstreamTlsContext context = DownstreamTlsContext.newBuilder().setCommonTlsContext(common(TRUST_DOMAIN))
                .setRequireClientCertificate(BoolValue.of(true)).build();
        return TransportSocket.newBuilder().setName(GatewayTls.TRANSPORT_SOCKET).setTypedConfig(Any.pack(context)).build();
    }

    private static final List<StringMatcher> TRUST_DOMAIN = List.of(StringMatcher.newBuilder()
            .setPrefix(SpiffeId.SCHEME + SpiffeId.DEFAULT_TRUST_DOMAIN + "/").build());

    private static List<StringMatcher> exact(List<String> identities) {
        return identities.stream().map(id -> StringMatcher.newBuilder().setExact(id).build()).toList();
    }

    private static CommonTlsContext.Builder common(List<StringMatcher> names) {
        return CommonTlsContext.newBuilder()
                .addTlsCertificateSdsSecretConfigs(sds(MeshTls.SDS_CERTIFICATE))
                .setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                        .setDefaultValidationContext(CertificateValidationContext.newBuilder().addAllMatchSubjectAltNames(names))
                        .setValidationContextSdsSecretConfig(sds(MeshTls.SDS_ROOT_CA)));
    }

    /** Istio's SNI for cluster {@code outbound|<port>|<subset>|<host>}. */
    static String sni(String clusterName) {
        String[] parts = clusterName.split("\\|", -1);
        return parts.length == 4 ? "outbound_." + parts[1] + "_." + parts[2] + "_." + parts[3] : clusterName;
    }

    private static SdsSecretConfig sds(String name) {
        return SdsSecretConfig.newBuilder().setName(name).setSdsConfig(Envoy.ads()).build();
    }
}
