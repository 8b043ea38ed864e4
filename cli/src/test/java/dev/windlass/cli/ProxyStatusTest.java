package dev.windlass.cli;

import dev.windlass.cli.WindlassCliTest.Result;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.windlass.cli.WindlassCliTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code windlass proxy-status}: the table built from discovery pods' /debug/syncz pages, the diff of a
 * discovery config_dump against a proxy config_dump, and bad input refused with exit code 2 before any cluster call.
 */
class ProxyStatusTest {
    private static final String NO_CLUSTER = "--kubeconfig=/nonexistent";
    private static final String T = "type.googleapis.com/envoy.";
    private static final String CDS = T + "config.cluster.v3.Cluster";
    private static final String LDS = T + "config.listener.v3.Listener";
    private static final String EDS = T + "config.endpoint.v3.ClusterLoadAssignment";
    private static final String RDS = T + "config.route.v3.RouteConfiguration";

    private static String type(String url, String status) {
        return "\"" + url + "\": {\"nonce_sent\": \"1-4\", \"status\": \"" + status + "\"}";
    }

    private static String proxy(String pod, String... types) {
        return "{\"proxy\": \"sidecar~10.244.0.7~" + pod + "~x.svc.cluster.local\", \"types\": {" + String.join(", ", types) + "}}";
    }

    @Test
    void eachProxyIsARowWithItsTypesAndItsDiscoveryPod() {
        Map<String, String> syncz = new LinkedHashMap<>();
        syncz.put("windlass-discovery-b", "[" + proxy("reviews-v1-abc.bookinfo", type(CDS, "SYNCED"), type(LDS, "SYNCED"),
                type(EDS, "STALE"), type(RDS, "SYNCED")) + "]");
        syncz.put("windlass-discovery-a", "[" + proxy("details-v1-xyz.bookinfo", type(CDS, "SYNCED"), type(LDS, "SYNCED"))
                + ", " + proxy("web-0.shop", type(CDS, "SYNCED")) + "]");

        List<ProxyStatusTable.Row> rows = ProxyStatusTable.rows(syncz);

        assertThat(ProxyStatusTable.render(rows)).isEqualTo("""
                NAME                      CDS      LDS        EDS        RDS        DISCOVERY
                details-v1-xyz.bookinfo   SYNCED   SYNCED     NOT SENT   NOT SENT   windlass-discovery-a
                reviews-v1-abc.bookinfo   SYNCED   SYNCED     STALE      SYNCED     windlass-discovery-b
                web-0.shop                SYNCED   NOT SENT   NOT SENT   NOT SENT   windlass-discovery-a
                """);
        assertThat(ProxyStatusTable.inNamespace(rows, "shop")).extracting(ProxyStatusTable.Row::name).containsExactly("web-0.shop");
        assertThat(ProxyStatusTable.inNamespace(rows, null)).hasSize(3);
    }

    @Test
    void aPageThatIsNotSynczIsNamed() {
        assertThatThrownBy(() -> ProxyStatusTable.rows(Map.of("windlass-discovery-a", "{}")))
                .hasMessage("the /debug/syncz of discovery pod windlass-discovery-a is not a JSON list");
        assertThatThrownBy(() -> ProxyStatusTable.rows(Map.of("windlass-discovery-a", "<html>")))
                .hasMessageStartingWith("the /debug/syncz of discovery pod windlass-discovery-a is not JSON");
    }

    private static final String DISCOVERY_DUMP = """
            {"proxy": "reviews-v1-abc.bookinfo",
             "clusters": [{"name": "outbound|9080||ratings.bookinfo.svc.cluster.local", "type": "EDS"}],
             "endpoints": [{"cluster_name": "outbound|9080||ratings.bookinfo.svc.cluster.local", "endpoints": [%s]}],
             "listeners": [{"name": "virtualInbound"}, {"name": "0.0.0.0_9080"}],
             "routes": [{"name": "9080", "virtual_hosts": [{"name": "ratings", "domains": ["ratings"]}]}]}
            """;

    private static final String PROXY_DUMP = """
            {"configs": [
              {"@type": "type.googleapis.com/envoy.admin.v3.ListenersConfigDump", "version_info": "a",
               "dynamic_listeners": [{"name": "virtualInbound", "active_state": {"version_info": "a",
                 "listener": {"@type": "type.googleapis.com/envoy.config.listener.v3.Listener", "name": "virtualInbound"}}},
                {"name": "0.0.0.0_9080", "active_state": {"version_info": "a",
                 "listener": {"@type": "type.googleapis.com/envoy.config.listener.v3.Listener", "name": "0.0.0.0_9080"}}}]},
              {"@type": "type.googleapis.com/envoy.admin.v3.RoutesConfigDump",
               "dynamic_route_configs": [{"version_info": "b", "route_config": {
                 "@type": "type.googleapis.com/envoy.config.route.v3.RouteConfiguration", "name": "9080",
                 "virtual_hosts": [{"name": "ratings", "domains": ["ratings"]}]}}]},
              {"@type": "type.googleapis.com/envoy.admin.v3.ClustersConfigDump", "version_info": "c",
               "dynamic_active_clusters": [{"version_info": "c", "cluster": {
                 "@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster",
                 "name": "outbound|9080||ratings.bookinfo.svc.cluster.local", "type": "EDS"}}]},
              {"@type": "type.googleapis.com/envoy.admin.v3.EndpointsConfigDump",
               "dynamic_endpoint_configs": [{"version_info": "d", "endpoint_config": {
                 "@type": "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment",
                 "cluster_name": "outbound|9080||ratings.bookinfo.svc.cluster.local",
                 "endpoints": [{"lb_endpoints": [{"endpoint": {"address": {"socket_address": {"address": "10.244.0.9"}}}}]}]}}]}
            ]}
            """;

    private static final String ONE_ENDPOINT = "{\"lb_endpoints\": [{\"endpoint\": {\"address\": {\"socket_address\": {\"address\": \"10.244.0.9\"}}}}]}";

    @Test
    void theSameResourcesOnBothSidesMatch() {
        String diff = ProxyStatusDiff.render(DISCOVERY_DUMP.formatted(ONE_ENDPOINT), PROXY_DUMP);

        assertThat(diff).isEqualTo("Clusters Match\nListeners Match\nRoutes Match\nEndpoints Match\n");
        assertThat(ProxyStatusDiff.matches(diff)).isTrue();
    }

    @Test
    void whatDiffersIsNamedUnderItsType() {
        String twoEndpoints = ONE_ENDPOINT + ", " + ONE_ENDPOINT.replace("10.244.0.9", "10.244.0.10");
        String discovery = DISCOVERY_DUMP.formatted(twoEndpoints)
                .replace("{\"name\": \"virtualInbound\"}, ", "{\"name\": \"virtualOutbound\"}, {\"name\": \"virtualInbound\"}, ");

        String diff = ProxyStatusDiff.render(discovery, PROXY_DUMP);

        assertThat(diff).isEqualTo("""
                Clusters Match
                Listeners Don't Match
                  not in the proxy: virtualOutbound
                Routes Match
                Endpoints Don't Match
                  different: outbound|9080||ratings.bookinfo.svc.cluster.local
                """);
        assertThat(ProxyStatusDiff.matches(diff)).isFalse();
        assertThat(ProxyStatusDiff.render(DISCOVERY_DUMP.formatted(ONE_ENDPOINT), PROXY_DUMP.replace("\"name\": \"9080\"", "\"name\": \"80\"")))
                .contains("Routes Don't Match\n  not sent by discovery: 80\n  not in the proxy: 9080\n");
    }

    @Test
    void badInputIsNamedWithExitCode2() {
        Result badPod = run("proxy-status", "Not_A_Pod", NO_CLUSTER);
        assertThat(badPod.code()).isEqualTo(2);
        assertThat(badPod.err()).isEqualTo("windlass: POD: 'Not_A_Pod' is not a pod name\n");
        assertThat(run("proxy-status", "-i", "Bad_NS", NO_CLUSTER).err())
                .isEqualTo("windlass: --mesh-namespace: 'Bad_NS' is not a namespace name\n");
        assertThat(run("proxy-status", "-n", "Bad_NS", NO_CLUSTER).err())
                .isEqualTo("windlass: --namespace: 'Bad_NS' is not a namespace name\n");
        Result good = run("proxy-status", "web-0.shop", NO_CLUSTER);
        assertThat(good.code()).isEqualTo(2);
        assertThat(good.err()).isEqualTo("windlass: --kubeconfig: /nonexistent: no such file\n");
        assertThat(run("proxy-status", "--help").out()).startsWith("Usage: windlass proxy-status").contains("POD", "-i, --mesh-namespace");
    }
}
