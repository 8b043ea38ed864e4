package dev.windlass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The MATCH, DESTINATION and VIRTUAL-SERVICE cells for what the captured dumps do not have yet (VirtualService routes, TLS). */
class ProxyConfigMatchTest {

    @Test
    void filterChainMatchesReadLikeIstioctls() throws Exception {
        assertThat(ProxyConfigListeners.match(json("{}"))).isEqualTo("ALL");
        assertThat(ProxyConfigListeners.match(json("{\"destination_port\": 9080}"))).isEqualTo("Addr: *:9080");
        assertThat(ProxyConfigListeners.match(json("""
                {"transport_protocol": "tls", "server_names": ["a.example", "b.example"],
                 "prefix_ranges": [{"address_prefix": "10.0.0.5", "prefix_len": 32}], "destination_port": 443}""")))
                .isEqualTo("SNI: a.example,b.example; Trans: tls; Addr: 10.0.0.5/32:443");
    }

    @Test
    void destinationsNameTheRouteOrTheClusters() throws Exception {
        assertThat(ProxyConfigListeners.destination(json("""
                {"filters": [{"typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy",
                  "weighted_clusters": {"clusters": [{"name": "a", "weight": 1}, {"name": "b", "weight": 1}]}}}]}""")))
                .isEqualTo("Cluster: a,b");
        assertThat(ProxyConfigListeners.destination(json("{\"filters\": [{\"name\": \"envoy.filters.network.redis_proxy\"}]}")))
                .isEqualTo("Non-HTTP/Non-TCP");
    }

    @Test
    void routeMatchesShowThePathKindAndHeaderConditions() throws Exception {
        assertThat(ProxyConfigRoutes.match(json("{\"path\": \"/exact\"}"))).isEqualTo("/exact");
        assertThat(ProxyConfigRoutes.match(json("{\"path_separated_prefix\": \"/api\"}"))).isEqualTo("/api/*");
        assertThat(ProxyConfigRoutes.match(json("{\"safe_regex\": {\"regex\": \"/v[0-9]+/.*\"}, \"headers\": [{\"name\": \"end-user\"}]}")))
                .isEqualTo("regex /v[0-9]+/.* [end-user]");
        assertThat(ProxyConfigRoutes.match(json("{\"prefix\": \"/\", \"headers\": [{\"name\": \"a\", \"exact_match\": \"1\"}, "
                + "{\"name\": \"b\", \"string_match\": {\"suffix\": \".js\"}}, {\"name\": \"c\", \"string_match\": {\"contains\": \"x\"}}, "
                + "{\"name\": \"d\", \"present_match\": false}]}"))).isEqualTo("/* [a=1, b=*.js, c=*x*, !d]");
        assertThat(ProxyConfigRoutes.domains(json("[]"))).isEqualTo("-");
    }

    @Test
    void theIstioConfigOfARouteOrClusterIsNamedNameDotNamespace() throws Exception {
        assertThat(ProxyConfigClusters.istioConfig(json("""
                {"metadata": {"filter_metadata": {"istio": {"config": "/apis/networking.istio.io/v1/namespaces/shop/virtual-service/reviews"}}}}""")))
                .isEqualTo("reviews.shop");
        assertThat(ProxyConfigClusters.istioConfig(json("{}"))).isEqualTo("-");
        assertThat(ProxyConfigClusters.type(json("{\"cluster_type\": {\"name\": \"envoy.clusters.aggregate\"}}")))
                .isEqualTo("envoy.clusters.aggregate");
    }

    private static JsonNode json(String text) throws Exception {
        return ProxyConfigDump.JSON.readTree(text);
    }
}
