package dev.windlass.discovery.xds;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.windlass.contract.IstioNames;
import dev.windlass.discovery.Fixtures;
import dev.windlass.discovery.model.MeshSettings;
import dev.windlass.discovery.model.MeshSnapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Istio's egress gateway task for TLS (fixture egress-gateway-tls, goldens egress-gateway-tls and -router), rule
 * by rule: the sidecar passes the external host's TLS by SNI to the egress gateway's subset, reading the SNI with
 * the tls_inspector, and blackholes other TLS on the port; the egress gateway passes the same SNI on to the host.
 */
class EgressGatewayTlsTest {
    private static final String SIDECAR = "sidecar~10.244.1.9~sleep-0.default~default.svc.cluster.local";
    private static final String GATEWAY =
            "router~10.244.9.8~windlass-egressgateway-5f6d-abcde.windlass-system~windlass-system.svc.cluster.local";
    private static final String HOST = "edition.cnn.com";
    private static final MeshSnapshot SNAPSHOT = Fixtures.snapshot("egress-gateway-tls",
            new MeshSettings(MeshSettings.OutboundPolicy.REGISTRY_ONLY, "cluster.local"));

    @Test
    void theSidecarSendsTheHostsSniToTheEgressGatewaySubsetAndBlackholesOtherTls() throws Exception {
        Listener https = Translator.translate(SNAPSHOT, ProxyNode.parse(SIDECAR)).listeners().get("0.0.0.0_443");

        assertThat(https.getListenerFiltersList()).extracting(ListenerFilter::getName).containsExactly(Envoy.TLS_INSPECTOR);
        FilterChain bySni = https.getFilterChainsList().stream()
                .filter(c -> c.getFilterChainMatch().getServerNamesList().contains(HOST)).findFirst().orElseThrow();
        assertThat(bySni.getFilterChainMatch().getPrefixRangesList()).as("a DNS entry has no addresses").isEmpty();
        assertThat(cluster(bySni)).isEqualTo("outbound|443|cnn|windlass-egressgateway.windlass-system.svc.cluster.local");
        assertThat(cluster(https.getDefaultFilterChain())).isEqualTo(IstioNames.BLACKHOLE);
    }

    @Test
    void aSidecarListenerWithoutSniChainsReadsNoClientHello() {
        Listener http = Translator.translate(SNAPSHOT, ProxyNode.parse(SIDECAR)).listeners().get("0.0.0.0_80");

        assertThat(http.getListenerFiltersList()).isEmpty();
    }

    @Test
    void theEgressGatewayPassesTheSniThroughToTheHostResolvedByDns() throws Exception {
        ProxyResources gateway = Translator.translate(SNAPSHOT, ProxyNode.parse(GATEWAY));
        Listener https = gateway.listeners().get("0.0.0.0_443");

        assertThat(https.getListenerFiltersList()).extracting(ListenerFilter::getName).containsExactly(Envoy.TLS_INSPECTOR);
        assertThat(https.getFilterChainsList()).singleElement().satisfies(chain -> {
            assertThat(chain.getFilterChainMatch().getServerNamesList()).containsExactly(HOST);
            assertThat(chain.hasTransportSocket()).as("passed through, not terminated").isFalse();
            assertThat(cluster(chain)).isEqualTo("outbound|443||" + HOST);
        });
        assertThat(gateway.clusters().get("outbound|443||" + HOST).getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
    }

    private static String cluster(FilterChain chain) throws InvalidProtocolBufferException {
        return chain.getFilters(0).getTypedConfig().unpack(TcpProxy.class).getCluster();
    }
}
