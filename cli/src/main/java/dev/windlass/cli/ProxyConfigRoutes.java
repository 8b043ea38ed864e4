package dev.windlass.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code proxy-config routes}: one row per route of every virtual host of the RDS route configurations. DOMAINS
 * shows the first domain and how many more there are (a Service has a dozen: every name with and without the
 * port); VIRTUAL-SERVICE names the VirtualService a route came from, when its metadata says so.
 */
final class ProxyConfigRoutes {
    private ProxyConfigRoutes() {
    }

    static ProxyConfigTable table(ProxyConfigDump dump) {
        ProxyConfigTable table = ProxyConfigTable.of("NAME", "VHOST-NAME", "DOMAINS", "MATCH", "VIRTUAL-SERVICE");
        for (JsonNode config : dump.routes()) {
            String name = config.path("name").asText();
            for (JsonNode host : config.path("virtual_hosts")) {
                for (JsonNode route : host.path("routes")) {
                    table = table.withRow(name, host.path("name").asText(), domains(host.path("domains")),
                            match(route.path("match")), ProxyConfigClusters.istioConfig(route));
                }
            }
        }
        return table;
    }

    static String domains(JsonNode domains) {
        if (domains.isEmpty()) {
            return "-";
        }
        String first = domains.get(0).asText();
        return domains.size() == 1 ? first : first + " + " + (domains.size() - 1) + " more...";
    }

    static String match(JsonNode match) {
        String path;
        if (match.has("prefix")) {
            path = match.path("prefix").asText() + "*";
        } else if (match.has("path_separated_prefix")) {
            path = match.path("path_separated_prefix").asText() + "/*";
        } else if (match.has("path")) {
            path = match.path("path").asText();
        } else if (match.has("safe_regex")) {
            path = "regex " + match.path("safe_regex").path("regex").asText();
        } else {
            path = "/*"; // an empty match is Envoy's prefix ""
        }
        return match.has("headers") ? path + " (+" + match.path("headers").size() + " header match)" : path;
    }
}
