package dev.windlass.proxy.config;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.windlass.contract.MeshTls;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import dev.windlass.proxy.identity.WorkloadIdentity;
import dev.windlass.proxy.tls.ClientTls;
import dev.windlass.proxy.tls.ServerTls;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Auto mTLS as a cluster's transport_socket_matches: per endpoint, mesh mTLS where a sidecar takes it, else plain. */
class TransportSocketsTest {
    private static final String REVIEWS = "outbound|9080||reviews.shop.svc.cluster.local";
    private static final Struct MESH_MATCH = Struct.newBuilder()
            .putFields(MeshTls.TLS_MODE_KEY, Value.newBuilder().setStringValue(MeshTls.TLS_MODE_MESH).build()).build();
    private static final ConfigSource ADS = ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance()).build();

    @Test
    void endpointsMarkedForTheMeshGetMtlsWithTheWorkloadCertificateAndTheRestPlainText() throws Exception {
        Map<String, UpstreamTls> compiled = new HashMap<>();
        Map<String, ClientTls> made = new HashMap<>();
        TlsBinder binder = new TlsBinder() {
            @Override
            public ServerTls bind(DownstreamTls settings) {
                throw new AssertionError("no termination here");
            }

            @Override
            public void retain(Set<ServerTls> inUse) {
            }

            /** Records what was asked; answers with a stand-in origination of its own per socket. */
            @Override
            public ClientTls client(String where, UpstreamTls settings) throws InvalidConfigException {
                compiled.put(where, settings);
                ClientTls standIn = ClientTls.compile(where, new UpstreamTls("x", false, false, UpstreamTls.Trust.NONE,
                        null, List.of(), List.of()), WorkloadIdentity.none());
                made.put(where, standIn);
                return standIn;
            }
        };
        ClusterConfig cluster = ClusterTranslator.translate(autoMtls(MESH_MATCH), binder);

        String meshSocket = "cluster " + REVIEWS + ": transport_socket_matches[0]";
        assertThat(compiled).containsOnlyKeys(meshSocket);
        UpstreamTls mesh = compiled.get(meshSocket);
        assertThat(mesh.clientCertificate()).isEqualTo(new CredentialRef.Workload(false));
        assertThat(mesh.trust()).isEqualTo(UpstreamTls.Trust.MESH);
        assertThat(mesh.alpn()).containsExactlyElementsOf(MeshTls.ALPN);
        assertThat(mesh.subjectAltNames()).hasSize(1);
        assertThat(cluster.transportSockets().forEndpoint(endpoint(MeshTls.TLS_MODE_MESH))).isSameAs(made.get(meshSocket));
        assertThat(cluster.transportSockets().forEndpoint(endpoint(null))).as("no sidecar: plain text").isNull();
        assertThat(cluster.transportSockets().forEndpoint(null)).as("an original destination: the default").isNull();
    }

    @Test
    void aProxyWithoutAWorkloadIdentityReachesEveryEndpointInPlainText() throws Exception {
        ClusterConfig cluster = ClusterTranslator.translate(autoMtls(MESH_MATCH));

        assertThat(cluster.transportSockets().forEndpoint(endpoint(MeshTls.TLS_MODE_MESH))).isNull();
    }

    /** DestinationRule ISTIO_MUTUAL: the cluster's own socket requires mTLS, so without a certificate nothing connects. */
    @Test
    void requiredMeshMtlsWithoutAWorkloadIdentityFailsEveryConnectionInsteadOfGoingPlain() throws Exception {
        Cluster.Builder required = autoMtls(MESH_MATCH).toBuilder().clearTransportSocketMatches()
                .setTransportSocket(autoMtls(MESH_MATCH).getTransportSocketMatches(0).getTransportSocket());
        ClusterConfig cluster = ClusterTranslator.translate(required.build());

        ClientTls tls = cluster.transportSockets().forEndpoint(endpoint(null));
        assertThat(tls).as("not plain text").isNotNull();
        assertThat(tls.newHandler(io.netty.buffer.ByteBufAllocator.DEFAULT, tls.sni(null), 9080))
                .as("no certificate to present: the connection fails").isNull();
    }

    @Test
    void matchingOnAnythingButTlsModeIsRefusedByName() {
        Struct other = Struct.newBuilder().putFields("acceptMTLS", Value.newBuilder().setStringValue("true").build()).build();
        assertThatThrownBy(() -> ClusterTranslator.translate(autoMtls(other)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("cluster outbound|9080||reviews.shop.svc.cluster.local: transport_socket_matches[0].match.acceptMTLS"
                        + " is not supported by Windlass");
    }

    private static UpstreamEndpoint endpoint(String tlsMode) {
        return new UpstreamEndpoint("10.0.0.7", 9080, true, "reviews-v1", "shop", "v1").withTlsMode(tlsMode);
    }

    /** Istio's two matches, as the discovery server writes them. */
    private static Cluster autoMtls(Struct meshMatch) {
        CommonTlsContext common = CommonTlsContext.newBuilder().addAllAlpnProtocols(MeshTls.ALPN)
                .addTlsCertificateSdsSecretConfigs(SdsSecretConfig.newBuilder().setName(MeshTls.SDS_CERTIFICATE).setSdsConfig(ADS))
                .setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                        .setDefaultValidationContext(CertificateValidationContext.newBuilder()
                                .addMatchSubjectAltNames(StringMatcher.newBuilder().setPrefix("spiffe://cluster.local/")))
                        .setValidationContextSdsSecretConfig(SdsSecretConfig.newBuilder().setName(MeshTls.SDS_ROOT_CA).setSdsConfig(ADS)))
                .build();
        TransportSocket tls = TransportSocket.newBuilder().setName("envoy.transport_sockets.tls").setTypedConfig(Any.pack(
                UpstreamTlsContext.newBuilder().setSni("outbound_.9080_._.reviews.shop.svc.cluster.local")
                        .setCommonTlsContext(common).build())).build();
        TransportSocket plain = TransportSocket.newBuilder().setName("envoy.transport_sockets.raw_buffer")
                .setTypedConfig(Any.pack(RawBuffer.getDefaultInstance())).build();
        return Cluster.newBuilder().setName(REVIEWS)
                .setType(Cluster.DiscoveryType.EDS)
                .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ADS))
                .addTransportSocketMatches(Cluster.TransportSocketMatch.newBuilder().setName(MeshTls.MATCH_MESH)
                        .setMatch(meshMatch).setTransportSocket(tls))
                .addTransportSocketMatches(Cluster.TransportSocketMatch.newBuilder().setName(MeshTls.MATCH_PLAIN)
                        .setMatch(Struct.getDefaultInstance()).setTransportSocket(plain))
                .build();
    }
}
