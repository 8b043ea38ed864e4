package dev.windlass.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code proxy-config routes}: one row per route of every virtual host of the RDS route configurations, with
 * istioctl's columns (NAME, VHOST-NAME, DOMAINS, MATCH, VIRTUAL-SERVICE) and one more, DESTINATIONS: where the
 * route sends traffic, with the weights. MATCH shows the path and the header and query conditions
 * ({@code /reviews* [end-user=jason]}), where istioctl shows only the path. DOMAINS shows the first domain and
 * how many more there are (a Service has a dozen: every name with and without the port); VIRTUAL-SERVICE names
 * the VirtualService a route came from, when its metadata says so ({@code filter_metadata.istio.config}).
 */
final class ProxyConfigRoutes {
    private ProxyConfigRoutes() {
    }

    static ProxyConfigTable table(ProxyConfigDump dump) {
        ProxyConfigTable table = ProxyConfigTable.of("NAME", "VHOST-NAME", "DOMAINS", "MATCH", "VIRTUAL-SERVICE", "DESTINATIONS");
        for (JsonNode config : dump.routes()) {
            String name = config.path("name").asText();
            for (JsonNode host : config.path("virtual_hosts")) {
                for (JsonNode route : host.path("routes")) {
                    table = table.withRow(name, host.path("name").asText(), domains(host.path("domains")),
                            match(route.path("match")), ProxyConfigClusters.istioConfig(route),
                            ProxyConfigRouteActions.destinations(route, name));
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

    /** The path condition, then the header conditions in brackets, then the query conditions after {@code ?}. */
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
        StringBuilder text = new StringBuilder(path);
        if (match.has("case_sensitive") && !match.path("case_sensitive").asBoolean(true)) {
            text.append(" (ignore case)");
        }
        if (!match.path("headers").isEmpty()) {
            text.append(" [").append(conditions(match.path("headers"), ", ")).append(']');
        }
        if (!match.path("query_parameters").isEmpty()) {
            text.append(" ?").append(conditions(match.path("query_parameters"), "&"));
        }
        return text.toString();
    }

    private static String conditions(JsonNode list, String separator) {
        StringBuilder text = new StringBuilder();
        for (JsonNode condition : list) {
            if (!text.isEmpty()) {
                text.append(separator);
            }
            text.append(condition(condition));
        }
        return text.toString();
    }

    /**
     * One header or query condition: {@code name=value} exact, {@code name=value*} prefix, {@code name=*value}
     * suffix, {@code name=*value*} contains, {@code name~=regex}, {@code name} when present; {@code !} inverts.
     */
    static String condition(JsonNode condition) {
        String name = condition.path("name").asText();
        JsonNode m = condition.has("string_match") ? condition.path("string_match") : legacy(condition);
        String test;
        if (m.has("exact")) {
            test = "=" + m.path("exact").asText();
        } else if (m.has("prefix")) {
            test = "=" + m.path("prefix").asText() + "*";
        } else if (m.has("suffix")) {
            test = "=*" + m.path("suffix").asText();
        } else if (m.has("contains")) {
            test = "=*" + m.path("contains").asText() + "*";
        } else if (m.has("safe_regex")) {
            test = "~=" + m.path("safe_regex").path("regex").asText();
        } else {
            test = ""; // present_match, or no condition on the value
        }
        boolean inverted = condition.path("invert_match").asBoolean(false)
                || condition.has("present_match") && !condition.path("present_match").asBoolean(true);
        return (inverted ? "!" : "") + name + test;
    }

    /** Envoy's deprecated header fields (exact_match, prefix_match, ...) as a string_match. */
    private static JsonNode legacy(JsonNode condition) {
        var m = ProxyConfigDump.JSON.createObjectNode();
        for (String kind : new String[] {"exact", "prefix", "suffix", "contains"}) {
            if (condition.has(kind + "_match")) {
                m.set(kind, condition.path(kind + "_match"));
            }
        }
        if (condition.has("safe_regex_match")) {
            m.set("safe_regex", condition.path("safe_regex_match"));
        }
        return m;
    }
}
