package dev.windlass.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * A proxy's {@code /config_dump} (Envoy's admin.v3 ConfigDump as JSON, proto field names): the active listeners,
 * route configurations and clusters in it, as the JSON objects of the resources themselves.
 */
record ProxyConfigDump(List<JsonNode> listeners, List<JsonNode> routes, List<JsonNode> clusters, List<JsonNode> secrets,
                       JsonNode bootstrap) {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_TYPES = "type.googleapis.com/envoy.admin.v3.";

    /** @throws IllegalArgumentException when the text is not a config dump */
    static ProxyConfigDump parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the proxy's /config_dump is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.path("configs").isArray()) {
            throw new IllegalArgumentException("the proxy's /config_dump has no \"configs\" list");
        }
        List<JsonNode> listeners = new ArrayList<>();
        List<JsonNode> routes = new ArrayList<>();
        List<JsonNode> clusters = new ArrayList<>();
        List<JsonNode> secrets = new ArrayList<>();
        JsonNode bootstrap = ProxyConfigDump.JSON.missingNode();
        for (JsonNode config : root.path("configs")) {
            switch (config.path("@type").asText().replace(ADMIN_TYPES, "")) {
                case "ListenersConfigDump" -> {
                    collect(config.path("static_listeners"), "listener", listeners);
                    config.path("dynamic_listeners").forEach(l -> add(l.path("active_state").path("listener"), listeners));
                }
                case "RoutesConfigDump" -> {
                    collect(config.path("static_route_configs"), "route_config", routes);
                    collect(config.path("dynamic_route_configs"), "route_config", routes);
                }
                case "ClustersConfigDump" -> {
                    collect(config.path("static_clusters"), "cluster", clusters);
                    collect(config.path("dynamic_active_clusters"), "cluster", clusters);
                }
                case "SecretsConfigDump" -> {
                    collect(config.path("static_secrets"), "secret", secrets);
                    collect(config.path("dynamic_active_secrets"), "secret", secrets);
                }
                case "BootstrapConfigDump" -> bootstrap = config.path("bootstrap");
                default -> {
                    // endpoints: the endpoints table reads /clusters, as istioctl does
                }
            }
        }
        return new ProxyConfigDump(List.copyOf(listeners), List.copyOf(routes), List.copyOf(clusters), List.copyOf(secrets), bootstrap);
    }

    /** Only the listeners, route configurations and clusters the filters keep. */
    ProxyConfigDump filtered(ProxyConfigFilters filters) {
        return new ProxyConfigDump(listeners.stream().filter(filters.listener()).toList(),
                routes.stream().filter(filters.route()).toList(), clusters.stream().filter(filters.cluster()).toList(),
                secrets, bootstrap);
    }

    private static void collect(JsonNode entries, String field, List<JsonNode> into) {
        entries.forEach(entry -> add(entry.path(field), into));
    }

    private static void add(JsonNode resource, List<JsonNode> into) {
        if (resource.isObject()) {
            into.add(resource);
        }
    }
}
