package dev.windlass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windlass.profiles.Yaml;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * istioctl's proxy-config filters and outputs on the admin pages of a real client sidecar (see ProxyConfigTablesTest):
 * each filter keeps exactly the rows it names; yaml is the same resources as json; all shows every section.
 */
class ProxyConfigFiltersTest {
    private static final String APP = "outbound|80||app.traffic.svc.cluster.local";

    @Test
    void listenersByPortAddressAndType() throws IOException {
        ProxyConfigFilters port = new ProxyConfigFilters();
        port.port = 80;
        assertThat(render(ProxyConfigType.LISTENERS, ProxyConfigOutput.SHORT, port)).isEqualTo("""
                ADDRESS   PORT   MATCH   DESTINATION
                0.0.0.0   80     ALL     Route: 80
                """);
        ProxyConfigFilters tcp = new ProxyConfigFilters();
        tcp.type = "tcp";
        tcp.address = "0.0.0.0";
        assertThat(render(ProxyConfigType.LISTENERS, ProxyConfigOutput.SHORT, tcp).lines().skip(1).map(l -> l.split(" +")[1]))
                .containsExactly("443", "443", "15001", "15006");
    }

    @Test
    void clustersByFqdnPortSubsetAndDirection() throws IOException {
        ProxyConfigFilters fqdn = new ProxyConfigFilters();
        fqdn.fqdn = "app.traffic.svc.cluster.local";
        JsonNode json = ProxyConfigDump.JSON.readTree(render(ProxyConfigType.CLUSTERS, ProxyConfigOutput.JSON, fqdn));
        assertThat(json).hasSize(1);
        assertThat(json.get(0).path("name").asText()).isEqualTo(APP);
        ProxyConfigFilters shortName = new ProxyConfigFilters();
        shortName.fqdn = "kubernetes";
        shortName.direction = "outbound";
        shortName.port = 443;
        assertThat(render(ProxyConfigType.CLUSTERS, ProxyConfigOutput.SHORT, shortName)).isEqualTo("""
                SERVICE-FQDN                           PORT   SUBSET   DIRECTION   TYPE   DESTINATION-RULE
                kubernetes.default.svc.cluster.local   443    -        outbound    EDS    -
                """);
        ProxyConfigFilters subset = new ProxyConfigFilters();
        subset.subset = "v1";
        assertThat(render(ProxyConfigType.CLUSTERS, ProxyConfigOutput.SHORT, subset).lines()).hasSize(1);
    }

    @Test
    void endpointsByClusterPortAddressAndStatus() throws IOException {
        ProxyConfigFilters filters = new ProxyConfigFilters();
        filters.cluster = APP;
        filters.port = 8080;
        filters.address = "10.251.1.3";
        filters.status = "healthy";
        assertThat(render(ProxyConfigType.ENDPOINTS, ProxyConfigOutput.SHORT, filters)).isEqualTo("""
                ENDPOINT          STATUS    OUTLIER-CHECK   CLUSTER
                10.251.1.3:8080   HEALTHY   OK              %s
                """.formatted(APP));
        filters.status = "unhealthy";
        assertThat(render(ProxyConfigType.ENDPOINTS, ProxyConfigOutput.SHORT, filters).lines()).hasSize(1);
    }

    @Test
    void routesByName() throws IOException {
        assertThat(render(ProxyConfigType.ROUTES, ProxyConfigOutput.SHORT, ProxyConfigFilters.routesNamed("80")).lines()).hasSize(3);
        assertThat(render(ProxyConfigType.ROUTES, ProxyConfigOutput.SHORT, ProxyConfigFilters.routesNamed("http.80")).lines()).hasSize(1);
    }

    @Test
    void yamlIsTheSameResourcesAsJson() throws IOException {
        String json = render(ProxyConfigType.CLUSTERS, ProxyConfigOutput.JSON, ProxyConfigFilters.none());
        String yaml = render(ProxyConfigType.CLUSTERS, ProxyConfigOutput.YAML, ProxyConfigFilters.none());
        assertThat(yaml).startsWith("- ").contains("name: BlackHoleCluster");
        assertThat(Yaml.MAPPER.readTree(yaml).findValuesAsText("name"))
                .isEqualTo(ProxyConfigDump.JSON.readTree(json).findValuesAsText("name"));
    }

    @Test
    void allShowsEverySectionFiltered() throws IOException {
        ProxyConfigFilters port = new ProxyConfigFilters();
        port.port = 80;
        String tables = render(ProxyConfigType.ALL, ProxyConfigOutput.SHORT, port);
        assertThat(tables.lines().filter(l -> l.startsWith("ADDRESS") || l.startsWith("NAME") || l.startsWith("SERVICE-FQDN")
                || l.startsWith("ENDPOINT") || l.startsWith("RESOURCE NAME"))).hasSize(5);
        assertThat(tables).contains("0.0.0.0   80     ALL     Route: 80", "app.traffic.svc.cluster.local   80 ")
                .doesNotContain("15001", "kubernetes.default");
        JsonNode json = ProxyConfigDump.JSON.readTree(render(ProxyConfigType.ALL, ProxyConfigOutput.JSON, ProxyConfigFilters.none()));
        assertThat(json.fieldNames()).toIterable().containsExactly("listeners", "routes", "clusters", "endpoints", "secrets");
        assertThat(json.path("endpoints")).hasSize(3);
        assertThat(json.path("clusters")).hasSize(5);
    }

    @Test
    void secretsAndBootstrapAreReadFromTheirConfigDumpSections() {
        String dump = """
                {"configs": [
                  {"@type": "type.googleapis.com/envoy.admin.v3.BootstrapConfigDump",
                   "bootstrap": {"node": {"id": "sidecar~10.0.0.5~web-0.shop~shop.svc.cluster.local"}}},
                  {"@type": "type.googleapis.com/envoy.admin.v3.SecretsConfigDump",
                   "dynamic_active_secrets": [{"name": "default", "secret": {"name": "default", "tls_certificate": {}}},
                                              {"name": "ROOTCA", "secret": {"name": "ROOTCA", "validation_context": {}}}]}]}
                """;
        ProxyConfigType.Pages pages = new ProxyConfigType.Pages(dump, null);
        assertThat(ProxyConfigType.SECRETS.render(pages, ProxyConfigOutput.SHORT, ProxyConfigFilters.none())).isEqualTo("""
                RESOURCE NAME   TYPE         STATUS
                default         Cert Chain   ACTIVE
                ROOTCA          CA           ACTIVE
                """);
        assertThat(ProxyConfigType.BOOTSTRAP.render(pages, ProxyConfigOutput.SHORT, ProxyConfigFilters.none()))
                .contains("\"id\" : \"sidecar~10.0.0.5~web-0.shop~shop.svc.cluster.local\"");
        assertThatThrownBy(() -> ProxyConfigType.BOOTSTRAP.render(new ProxyConfigType.Pages("{\"configs\": []}", null),
                ProxyConfigOutput.JSON, ProxyConfigFilters.none())).hasMessage("POD: the proxy's /config_dump has no bootstrap");
    }

    private static String render(ProxyConfigType type, ProxyConfigOutput output, ProxyConfigFilters filters) throws IOException {
        return type.render(new ProxyConfigType.Pages(resource("config_dump.json"), resource("clusters.txt")), output, filters);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ProxyConfigFiltersTest.class.getResourceAsStream("/proxyconfig/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
