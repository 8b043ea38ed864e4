package dev.windlass.discovery.xds;

import dev.windlass.contract.IstioNames;
import dev.windlass.contract.MeshTls;
import dev.windlass.discovery.Fixtures;
import dev.windlass.discovery.model.MeshSettings;
import dev.windlass.discovery.model.MeshSnapshot;
import dev.windlass.discovery.model.ServiceModel;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The translation rules the golden files encode, stated one by one. */
class TranslatorTest {
    private static final String PRODUCTPAGE = "sidecar~10.244.0.5~productpage-v1-6b746f74dc-x2k4p.bookinfo~bookinfo.svc.cluster.local";
    private static final String REVIEWS = "outbound|9080||reviews.bookinfo.svc.cluster.local";

    private final MeshSnapshot bookinfo = Fixtures.snapshot("http", MeshSettings.DEFAULT);

    /** EDS per client place: computed once for proxies of one namespace and locality; a proxy of unknown pod gets the plain endpoints. */
    @Test
    void proxiesInOnePlaceShareTheirEndpointsAndAnotherPlaceGetsItsOwn() {
        MeshSnapshot locality = Fixtures.snapshot("locality", MeshSettings.DEFAULT);
        EndpointViews views = Translator.endpointViews(locality);
        var region1 = views.forProxy(ProxyNode.parse("sidecar~10.244.5.1~sleep-0.loc~loc.svc.cluster.local"));
        var region2 = views.forProxy(ProxyNode.parse("sidecar~10.244.5.2~sleep-1.loc~loc.svc.cluster.local"));
        assertThat(views.forProxy(ProxyNode.parse("sidecar~10.244.5.1~sleep-0.loc~loc.svc.cluster.local"))).isSameAs(region1);
        assertThat(region2).isNotEqualTo(region1);
        assertThat(views.forProxy(ProxyNode.parse("sidecar~10.244.5.9~gone-0.loc~loc.svc.cluster.local")))
                .isEqualTo(Translator.endpoints(locality)).isNotEqualTo(region1);
        assertThat(Translator.translate(locality, ProxyNode.parse("sidecar~10.244.5.2~sleep-1.loc~loc.svc.cluster.local"))
                .endpoints()).isEqualTo(region2);
    }

    @Test
    void notReadyEndpointsAreLeftOutAndAbsentConditionsCountAsReady() {
        ClusterLoadAssignment reviews = Translator.endpoints(bookinfo).get(REVIEWS);

        assertThat(reviews.getEndpoints(0).getLbEndpointsList())
                .extracting(e -> e.getEndpoint().getAddress().getSocketAddress().getAddress())
                .containsExactly("10.244.0.7", "10.244.0.8");
    }

    @Test
    void endpointsCarryTheirPodsWorkloadIdentity() {
        var fields = Translator.endpoints(bookinfo).get(REVIEWS).getEndpoints(0).getLbEndpoints(1)
                .getMetadata().getFilterMetadataOrThrow("istio").getFieldsMap();

        assertThat(fields.get("workload").getStringValue()).isEqualTo("reviews-v2");
        assertThat(fields.get("namespace").getStringValue()).isEqualTo("bookinfo");
        assertThat(fields.get("version").getStringValue()).isEqualTo("v2");
    }

    /** Auto mTLS: only the endpoint whose pod has a sidecar with a certificate is marked for the mesh's transport socket. */
    @Test
    void endpointsOfPodsWithACertificateHoldingSidecarAreMarkedForMeshMtls() {
        var endpoints = Translator.endpoints(bookinfo).get(REVIEWS).getEndpoints(0);

        assertThat(endpoints.getLbEndpoints(1).getMetadata().getFilterMetadataOrThrow(MeshTls.TRANSPORT_SOCKET_MATCH)
                .getFieldsOrThrow(MeshTls.TLS_MODE_KEY).getStringValue()).isEqualTo(MeshTls.TLS_MODE_MESH);
        assertThat(endpoints.getLbEndpoints(0).getMetadata().getFilterMetadataMap())
                .doesNotContainKey(MeshTls.TRANSPORT_SOCKET_MATCH);
        var cluster = Translator.translate(bookinfo, ProxyNode.parse(PRODUCTPAGE)).clusters().get(REVIEWS);
        assertThat(cluster.getTransportSocketMatchesList()).extracting(m -> m.getName())
                .containsExactly(MeshTls.MATCH_MESH, MeshTls.MATCH_PLAIN);
        assertThat(cluster.getTransportSocketMatches(0).getMatch().getFieldsOrThrow(MeshTls.TLS_MODE_KEY).getStringValue())
                .isEqualTo(MeshTls.TLS_MODE_MESH);
        // The server must be one of the service's mesh pods: reviews-v2 runs as the default ServiceAccount.
        var tls = unpackUpstreamTls(cluster.getTransportSocketMatches(0).getTransportSocket().getTypedConfig());
        assertThat(tls.getCommonTlsContext().getCombinedValidationContext().getDefaultValidationContext()
                .getMatchSubjectAltNamesList()).extracting(m -> m.getExact())
                .containsExactly("spiffe://cluster.local/ns/bookinfo/sa/default");
    }

    /** TCP ports take mesh mTLS as HTTP ports do: terminated before tcp_proxy, and anything else as it comes (PERMISSIVE). */
    @Test
    void tcpPortsTakeMeshMtlsBeforeTcpProxyAndAnythingElseAsItComes() {
        MeshSnapshot tcp = Fixtures.snapshot("tcp", MeshSettings.DEFAULT);
        var resources = Translator.translate(tcp, ProxyNode.parse("sidecar~10.244.1.1~db-a-0.data~data.svc.cluster.local"));

        assertThat(resources.clusters().get("outbound|5432||db-a.data.svc.cluster.local").getTransportSocketMatchesList())
                .extracting(m -> m.getName()).containsExactly(MeshTls.MATCH_MESH, MeshTls.MATCH_PLAIN);
        var inbound = resources.listeners().get(IstioNames.VIRTUAL_INBOUND);
        assertThat(inbound.getFilterChainsList()).isNotEmpty().allSatisfy(chain ->
                assertThat(tcpCluster(chain)).startsWith("inbound|"));
        assertThat(inbound.getFilterChainsList()).filteredOn(c -> c.getName().endsWith("_mtls")).allSatisfy(chain -> {
            assertThat(chain.hasTransportSocket()).isTrue();
            assertThat(chain.getFilterChainMatch().getApplicationProtocolsList()).containsAll(MeshTls.ALPN);
        }).isNotEmpty();
        assertThat(inbound.getFilterChainsList()).filteredOn(c -> !c.getName().endsWith("_mtls")).allSatisfy(chain -> {
            assertThat(chain.hasTransportSocket()).isFalse();
            assertThat(chain.getFilterChainMatch().getTransportProtocol()).isEmpty();
        }).isNotEmpty();
    }

    /** STRICT: an HTTP port takes mesh mTLS only (all else to BlackHoleCluster), and so does every other port. */
    @Test
    void aStrictNamespaceClosesEverythingButMeshMtls() {
        MeshSnapshot strict = withPeerAuthentications("http", "{metadata: {name: default, namespace: bookinfo}, spec: {mtls: {mode: STRICT}}}");
        var inbound = Translator.translate(strict, ProxyNode.parse(PRODUCTPAGE)).listeners().get(IstioNames.VIRTUAL_INBOUND);

        assertThat(inbound.getFilterChainsList()).extracting(c -> c.getName())
                .containsExactly("inbound|9080||_mtls", "inbound|9080||_refused");
        assertThat(inbound.getFilterChains(0).getFilterChainMatch().getApplicationProtocolsList()).containsAll(MeshTls.ALPN);
        assertThat(inbound.getFilterChains(1).getFilterChainMatch().getTransportProtocol()).isEmpty();
        assertThat(tcpCluster(inbound.getFilterChains(1))).isEqualTo(IstioNames.BLACKHOLE);
        assertThat(tcpCluster(inbound.getDefaultFilterChain())).isEqualTo(IstioNames.BLACKHOLE);
    }

    /** Port-level DISABLE: that port serves plain text only, and clients are told (EDS) not to send mTLS there. */
    @Test
    void aPortDisabledByItsWorkloadPolicyIsPlainTextOnBothSides() {
        MeshSnapshot disabled = withPeerAuthentications("http",
                "{metadata: {name: default, namespace: bookinfo}, spec: {mtls: {mode: STRICT}}}",
                "{metadata: {name: reviews, namespace: bookinfo}, spec: {selector: {matchLabels: {version: v2}}, portLevelMtls: {'9080': {mode: DISABLE}}}}",
                "{metadata: {name: productpage, namespace: bookinfo}, spec: {selector: {matchLabels: {app: productpage}}, portLevelMtls: {'9080': {mode: DISABLE}}}}");

        assertThat(Translator.endpoints(disabled).get(REVIEWS).getEndpoints(0).getLbEndpoints(1).getMetadata()
                .getFilterMetadataMap()).doesNotContainKey(MeshTls.TRANSPORT_SOCKET_MATCH);
        assertThat(Translator.endpoints(withPeerAuthentications("http",
                "{metadata: {name: default, namespace: bookinfo}, spec: {mtls: {mode: STRICT}}}")).get(REVIEWS)
                .getEndpoints(0).getLbEndpoints(1).getMetadata().getFilterMetadataMap()).containsKey(MeshTls.TRANSPORT_SOCKET_MATCH);
        var inbound = Translator.translate(disabled, ProxyNode.parse(PRODUCTPAGE)).listeners().get(IstioNames.VIRTUAL_INBOUND);
        assertThat(inbound.getFilterChainsList()).singleElement().satisfies(chain -> {
            assertThat(chain.hasTransportSocket()).isFalse();
            assertThat(chain.getFilterChainMatch().getTransportProtocol()).isEmpty();
        });
        assertThat(tcpCluster(inbound.getDefaultFilterChain())).as("the workload is STRICT on its other ports")
                .isEqualTo(IstioNames.BLACKHOLE);
    }

    @Test
    void aStrictTcpPortTakesMeshMtlsOnly() {
        MeshSnapshot strict = withPeerAuthentications("tcp", "{metadata: {name: default, namespace: data}, spec: {mtls: {mode: STRICT}}}");
        var inbound = Translator.translate(strict, ProxyNode.parse("sidecar~10.244.1.1~db-a-0.data~data.svc.cluster.local"))
                .listeners().get(IstioNames.VIRTUAL_INBOUND);

        assertThat(inbound.getFilterChainsList()).isNotEmpty().allSatisfy(chain -> {
            if (chain.getName().endsWith("_mtls")) {
                assertThat(chain.hasTransportSocket()).isTrue();
                assertThat(tcpCluster(chain)).startsWith("inbound|");
            } else {
                assertThat(tcpCluster(chain)).isEqualTo(IstioNames.BLACKHOLE);
            }
        });
    }

    /** DestinationRule ISTIO_MUTUAL: mesh mTLS to every endpoint (no auto matches), Istio's SNI and the service's ids. */
    @Test
    void istioMutualRequiresMeshMtlsOfEveryEndpoint() {
        MeshSnapshot mutual = Fixtures.snapshotWith("http", "networking.istio.io/v1", "DestinationRule",
                "{metadata: {name: reviews, namespace: bookinfo}, spec: {host: reviews, trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}}}");
        var cluster = Translator.translate(mutual, ProxyNode.parse(PRODUCTPAGE)).clusters().get(REVIEWS);

        assertThat(cluster.getTransportSocketMatchesList()).isEmpty();
        var tls = unpackUpstreamTls(cluster.getTransportSocket().getTypedConfig());
        assertThat(tls.getSni()).isEqualTo("outbound_.9080_._.reviews.bookinfo.svc.cluster.local");
        assertThat(tls.getCommonTlsContext().getTlsCertificateSdsSecretConfigs(0).getName()).isEqualTo(MeshTls.SDS_CERTIFICATE);
        assertThat(tls.getCommonTlsContext().getCombinedValidationContext().getDefaultValidationContext()
                .getMatchSubjectAltNamesList()).extracting(m -> m.getExact())
                .containsExactly("spiffe://cluster.local/ns/bookinfo/sa/default");
    }

    private static MeshSnapshot withPeerAuthentications(String fixture, String... policies) {
        return Fixtures.snapshotWith(fixture, "security.istio.io/v1", "PeerAuthentication", policies);
    }

    private static String tcpCluster(io.envoyproxy.envoy.config.listener.v3.FilterChain chain) {
        try {
            return chain.getFilters(0).getTypedConfig()
                    .unpack(io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.class).getCluster();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(chain.getName() + " is not a tcp_proxy chain", e);
        }
    }

    private static io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext unpackUpstreamTls(
            com.google.protobuf.Any any) {
        try {
            return any.unpack(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext.class);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shortNameIsADomainOnlyForProxiesOfTheServicesNamespace() {
        ServiceModel reviews = bookinfo.services().get(1);

        assertThat(RouteBuilder.domains(reviews, 9080, "bookinfo", "cluster.local")).contains("reviews", "reviews:9080");
        assertThat(RouteBuilder.domains(reviews, 9080, "other", "cluster.local"))
                .doesNotContain("reviews", "reviews:9080")
                .contains("reviews.bookinfo", "reviews.bookinfo.svc:9080", "reviews.bookinfo.svc.cluster.local",
                        "10.96.0.20", "10.96.0.20:9080");
    }

    @Test
    void everyDomainIsUniqueWithinARouteConfiguration() {
        RouteConfiguration route = Translator.translate(bookinfo, ProxyNode.parse(PRODUCTPAGE)).routes().get("9080");

        List<String> domains = route.getVirtualHostsList().stream().flatMap(v -> v.getDomainsList().stream()).toList();
        assertThat(domains).doesNotHaveDuplicates();
    }

    @Test
    void aProxyWhosePodIsUnknownGetsOutboundOnly() {
        ProxyResources resources = Translator.translate(bookinfo,
                ProxyNode.parse("sidecar~10.9.9.9~stranger.bookinfo~bookinfo.svc.cluster.local"));

        assertThat(resources.clusters().keySet()).noneMatch(n -> n.startsWith("inbound|"));
        assertThat(resources.listeners().get(IstioNames.VIRTUAL_INBOUND).getFilterChainsCount()).isZero();
        assertThat(resources.listeners()).containsKey("0.0.0.0_9080");
    }

    @Test
    void clusterDomainComesFromTheMeshSettings() {
        MeshSnapshot custom = bookinfo.withSettings(new MeshSettings(MeshSettings.OutboundPolicy.ALLOW_ANY, "corp.example"));

        assertThat(Translator.endpoints(custom)).containsKey("outbound|9080||reviews.bookinfo.svc.corp.example");
    }

    @Test
    void nodeIdsParseLikeIstios() {
        ProxyNode node = ProxyNode.parse("sidecar~10.1.2.3~my.dotted.pod.ns1~ns1.svc.cluster.local");

        assertThat(node).isEqualTo(new ProxyNode(node.id(), ProxyNode.Type.SIDECAR, "10.1.2.3", "my.dotted.pod", "ns1"));
        assertThat(node.podId()).isEqualTo("my.dotted.pod.ns1");
        assertThat(ProxyNode.parse("router~10.0.0.1~gw.x~x.svc.cluster.local").type()).isEqualTo(ProxyNode.Type.ROUTER);
    }

    @Test
    void malformedNodeIdsAreRefusedWithTheExpectedForm() {
        for (String id : List.of("", "sidecar~1.2.3.4~pod.ns", "proxy~1.2.3.4~pod.ns~ns.svc.cluster.local",
                "sidecar~1.2.3.4~pod.other~ns.svc.cluster.local", "sidecar~~pod.ns~ns.svc.cluster.local")) {
            assertThatThrownBy(() -> ProxyNode.parse(id)).as(id).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void xdsTypesAreInEnvoysPushOrder() {
        assertThat(XdsType.values()).containsExactly(XdsType.CDS, XdsType.EDS, XdsType.LDS, XdsType.RDS);
        assertThat(Map.of(XdsType.CDS, XdsType.CDS.wildcardWhenEmpty(), XdsType.EDS, XdsType.EDS.wildcardWhenEmpty()))
                .containsEntry(XdsType.CDS, true).containsEntry(XdsType.EDS, false);
    }
}
