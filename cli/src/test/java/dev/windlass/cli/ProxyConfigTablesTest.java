package dev.windlass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The proxy-config tables, from the admin pages of a real client sidecar: {@code proxyconfig/config_dump.json} and
 * {@code proxyconfig/clusters.txt} were captured by test-e2e's TwoSidecarTrafficApiServerTest (Service
 * {@code app.traffic}, ClusterIP 10.0.0.128, two endpoints; the apiserver's own {@code kubernetes} Service on 443),
 * {@code server-config_dump.json} from the sidecar of the first endpoint (inbound port 8080) in the same run.
 */
class ProxyConfigTablesTest {
    private static final String APP = "outbound|80||app.traffic.svc.cluster.local";

    @Test
    void listenersShowEveryFilterChainWithItsMatchAndDestination() throws IOException {
        assertThat(ProxyConfigType.LISTENERS.render(resource("config_dump.json"), false)).isEqualTo("""
                ADDRESS   PORT    MATCH               DESTINATION
                0.0.0.0   80      ALL                 Route: 80
                0.0.0.0   443     Addr: 10.0.0.1/32   Cluster: outbound|443||kubernetes.default.svc.cluster.local
                0.0.0.0   443     ALL                 Cluster: PassthroughCluster
                0.0.0.0   15001   ALL                 Cluster: PassthroughCluster
                0.0.0.0   15006   ALL                 Cluster: InboundPassthroughCluster
                """);
    }

    @Test
    void aServerSidecarHasAnInboundChainPerPortWithItsInlineRoute() throws IOException {
        assertThat(ProxyConfigType.LISTENERS.render(resource("server-config_dump.json"), false)).contains(
                "0.0.0.0   15006   Addr: *:8080        Inline Route: inbound|8080||\n",
                "0.0.0.0   15006   ALL                 Cluster: InboundPassthroughCluster\n");
        assertThat(ProxyConfigType.CLUSTERS.render(resource("server-config_dump.json"), false))
                .containsPattern("\n +8080 +- +inbound +STATIC +-\n");
    }

    @Test
    void routesShowEachVirtualHostWithItsFirstDomainAndMatch() throws IOException {
        assertThat(ProxyConfigType.ROUTES.render(resource("config_dump.json"), false)).isEqualTo("""
                NAME   VHOST-NAME                         DOMAINS                                     MATCH   VIRTUAL-SERVICE   DESTINATIONS
                80     app.traffic.svc.cluster.local:80   app.traffic.svc.cluster.local + 9 more...   /*      -                 app.traffic.svc.cluster.local
                80     allow_any                          *                                           /*      -                 PassthroughCluster
                """);
    }

    @Test
    void routesByNameKeepOnlyThatRouteConfiguration() throws IOException {
        String dump = resource("config_dump.json");
        assertThat(ProxyConfigType.ROUTES.render(dump, false, "80")).isEqualTo(ProxyConfigType.ROUTES.render(dump, false));
        assertThat(ProxyConfigDump.JSON.readTree(ProxyConfigType.ROUTES.render(dump, true, "http.80"))).isEmpty();
    }

    @Test
    void virtualServiceRoutesShowTheirMatchesDestinationsAndWeights() throws IOException {
        assertThat(ProxyConfigType.ROUTES.render(resource("vs-routes-config_dump.json"), false)).isEqualTo("""
                NAME   VHOST-NAME                                DOMAINS                                          MATCH                                                                                          VIRTUAL-SERVICE    DESTINATIONS
                9080   reviews.bookinfo.svc.cluster.local:9080   reviews.bookinfo.svc.cluster.local + 3 more...   /reviews* [end-user=jason]                                                                     reviews.bookinfo   reviews.bookinfo.svc.cluster.local|v2
                9080   reviews.bookinfo.svc.cluster.local:9080   reviews.bookinfo.svc.cluster.local + 3 more...   regex /api/v[0-9]+/.* (ignore case) [x-canary, !x-debug=on*, user-agent~=.*Mobile.*] ?beta=1   reviews.bookinfo   reviews.bookinfo.svc.cluster.local|v1 80%, reviews.bookinfo.svc.cluster.local|v2 20%, mirror reviews.bookinfo.svc.cluster.local|v3 50%
                9080   reviews.bookinfo.svc.cluster.local:9080   reviews.bookinfo.svc.cluster.local + 3 more...   /old                                                                                           reviews.bookinfo   redirect FOUND to reviews.example.com/new
                9080   reviews.bookinfo.svc.cluster.local:9080   reviews.bookinfo.svc.cluster.local + 3 more...   /health/*                                                                                      -                  direct response 204
                9080   reviews.bookinfo.svc.cluster.local:9080   reviews.bookinfo.svc.cluster.local + 3 more...   /*                                                                                             reviews.bookinfo   reviews.bookinfo.svc.cluster.local|v1 33.3%, ratings.bookinfo.svc.cluster.local:9090 66.7%
                9080   allow_any                                 *                                                /*                                                                                             -                  PassthroughCluster
                """);
        JsonNode routes = ProxyConfigDump.JSON.readTree(ProxyConfigType.ROUTES.render(resource("vs-routes-config_dump.json"), true));
        assertThat(routes.get(0).at("/virtual_hosts/0/routes/1/route/weighted_clusters/clusters/0/weight").asInt()).isEqualTo(80);
    }

    @Test
    void clustersTakeIstioNamesApart() throws IOException {
        assertThat(ProxyConfigType.CLUSTERS.render(resource("config_dump.json"), false)).isEqualTo("""
                SERVICE-FQDN                           PORT   SUBSET   DIRECTION   TYPE           DESTINATION-RULE
                BlackHoleCluster                       -      -        -           STATIC         -
                InboundPassthroughCluster              -      -        -           ORIGINAL_DST   -
                PassthroughCluster                     -      -        -           ORIGINAL_DST   -
                kubernetes.default.svc.cluster.local   443    -        outbound    EDS            -
                app.traffic.svc.cluster.local          80     -        outbound    EDS            -
                """);
    }

    @Test
    void endpointsComeFromTheClustersPage() throws IOException {
        assertThat(ProxyConfigType.ENDPOINTS.render(resource("clusters.txt"), false)).isEqualTo("""
                ENDPOINT          STATUS    OUTLIER-CHECK   CLUSTER
                192.0.2.2:65331   HEALTHY   OK              outbound|443||kubernetes.default.svc.cluster.local
                10.251.1.2:8080   HEALTHY   OK              %s
                10.251.1.3:8080   HEALTHY   OK              %s
                """.formatted(APP, APP));
    }

    @Test
    void jsonIsTheResourcesThemselves() throws IOException {
        JsonNode clusters = ProxyConfigDump.JSON.readTree(ProxyConfigType.CLUSTERS.render(resource("config_dump.json"), true));
        assertThat(clusters).hasSize(5);
        assertThat(clusters.get(4).path("name").asText()).isEqualTo(APP);
        assertThat(clusters.get(4).path("metadata").path("filter_metadata").path("istio").path("services").get(0)
                .path("host").asText()).isEqualTo("app.traffic.svc.cluster.local");
        JsonNode listeners = ProxyConfigDump.JSON.readTree(ProxyConfigType.LISTENERS.render(resource("config_dump.json"), true));
        assertThat(listeners.findValuesAsText("name")).contains("virtualOutbound", "virtualInbound", "0.0.0.0_80");
        JsonNode endpoints = ProxyConfigDump.JSON.readTree(ProxyConfigType.ENDPOINTS.render(resource("clusters.txt"), true));
        assertThat(endpoints.get(1).path("endpoint").asText()).isEqualTo("10.251.1.2:8080");
        assertThat(endpoints.get(1).path("cluster").asText()).isEqualTo(APP);
    }

    @Test
    void somethingElseThanAConfigDumpIsNamed() {
        assertThatThrownBy(() -> ProxyConfigType.LISTENERS.render("<html>", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("the proxy's /config_dump is not JSON");
        assertThatThrownBy(() -> ProxyConfigType.ROUTES.render("{}", false))
                .hasMessage("the proxy's /config_dump has no \"configs\" list");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ProxyConfigTablesTest.class.getResourceAsStream("/proxyconfig/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
