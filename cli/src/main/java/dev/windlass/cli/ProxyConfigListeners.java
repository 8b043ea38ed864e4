package dev.windlass.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code proxy-config listeners}: one row per filter chain, as istioctl prints them. MATCH says what selects the
 * chain ({@code Addr: 10.0.0.71/32}, {@code Addr: *:8080}, {@code ALL} for a chain without conditions or the
 * default chain); DESTINATION where it leads ({@code Route: 80} over RDS, {@code Inline Route: <clusters>},
 * {@code Cluster: <name>} for tcp_proxy).
 */
final class ProxyConfigListeners {
    private static final String HCM = "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";
    private static final String TCP_PROXY = "envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy";

    private ProxyConfigListeners() {
    }

    static ProxyConfigTable table(ProxyConfigDump dump) {
        ProxyConfigTable table = ProxyConfigTable.of("ADDRESS", "PORT", "MATCH", "DESTINATION");
        List<JsonNode> listeners = new ArrayList<>(dump.listeners());
        listeners.sort(Comparator.comparingInt((JsonNode l) -> socket(l).path("port_value").asInt())
                .thenComparing(l -> socket(l).path("address").asText()));
        for (JsonNode listener : listeners) {
            String address = socket(listener).path("address").asText();
            String port = socket(listener).path("port_value").asText("0");
            for (JsonNode chain : listener.path("filter_chains")) {
                table = table.withRow(address, port, match(chain.path("filter_chain_match")), destination(chain));
            }
            if (listener.has("default_filter_chain")) {
                table = table.withRow(address, port, "ALL", destination(listener.path("default_filter_chain")));
            }
        }
        return table;
    }

    /** HTTP, TCP or HTTP+TCP: what the listener's filter chains (the default chain too) end in; istioctl's --type. */
    static String type(JsonNode listener) {
        List<JsonNode> chains = new ArrayList<>();
        listener.path("filter_chains").forEach(chains::add);
        chains.add(listener.path("default_filter_chain"));
        boolean http = chains.stream().anyMatch(c -> destination(c).contains("Route: "));
        boolean tcp = chains.stream().anyMatch(c -> destination(c).startsWith("Cluster: "));
        return http && tcp ? "HTTP+TCP" : http ? "HTTP" : tcp ? "TCP" : "-";
    }

    private static JsonNode socket(JsonNode listener) {
        return listener.path("address").path("socket_address");
    }

    static String match(JsonNode match) {
        List<String> conditions = new ArrayList<>();
        if (match.has("server_names")) {
            conditions.add("SNI: " + join(match.path("server_names")));
        }
        if (match.has("transport_protocol")) {
            conditions.add("Trans: " + match.path("transport_protocol").asText());
        }
        if (match.has("application_protocols")) {
            conditions.add("App: " + join(match.path("application_protocols")));
        }
        String port = match.has("destination_port") ? ":" + match.path("destination_port").asText() : "";
        if (match.has("prefix_ranges")) {
            List<String> ranges = new ArrayList<>();
            for (JsonNode range : match.path("prefix_ranges")) {
                String length = range.has("prefix_len") ? "/" + range.path("prefix_len").asText() : "";
                ranges.add(range.path("address_prefix").asText() + length + port);
            }
            conditions.add("Addr: " + String.join(",", ranges));
        } else if (!port.isEmpty()) {
            conditions.add("Addr: *" + port);
        }
        return conditions.isEmpty() ? "ALL" : String.join("; ", conditions);
    }

    static String destination(JsonNode chain) {
        for (JsonNode filter : chain.path("filters")) {
            JsonNode config = filter.path("typed_config");
            String type = config.path("@type").asText();
            if (type.endsWith(HCM)) {
                return config.has("rds") ? "Route: " + config.path("rds").path("route_config_name").asText()
                        : "Inline Route: " + String.join(",", inlineClusters(config.path("route_config")));
            }
            if (type.endsWith(TCP_PROXY)) {
                return "Cluster: " + tcpClusters(config);
            }
        }
        return "Non-HTTP/Non-TCP";
    }

    private static List<String> inlineClusters(JsonNode routeConfig) {
        List<String> clusters = new ArrayList<>();
        for (JsonNode host : routeConfig.path("virtual_hosts")) {
            for (JsonNode route : host.path("routes")) {
                String cluster = route.path("route").path("cluster").asText("");
                if (!cluster.isEmpty() && !clusters.contains(cluster)) {
                    clusters.add(cluster);
                }
            }
        }
        return clusters.isEmpty() ? List.of("-") : clusters;
    }

    private static String tcpClusters(JsonNode tcpProxy) {
        if (tcpProxy.has("cluster")) {
            return tcpProxy.path("cluster").asText();
        }
        List<String> names = new ArrayList<>();
        tcpProxy.path("weighted_clusters").path("clusters").forEach(c -> names.add(c.path("name").asText()));
        return String.join(",", names);
    }

    private static String join(JsonNode values) {
        List<String> texts = new ArrayList<>();
        values.forEach(v -> texts.add(v.asText()));
        return String.join(",", texts);
    }
}
