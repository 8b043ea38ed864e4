package dev.windlass.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code windlass proxy-status POD}: what the discovery server would send the proxy now (its
 * {@code /debug/config_dump?proxyID=}) against what the proxy holds (its admin {@code /config_dump}), per type
 * "Match" or "Don't Match" as istioctl prints it, with the names of the resources that differ.
 */
final class ProxyStatusDiff {
    /** A type: its name in the output, its list in the discovery dump, and where the proxy's dump holds it. */
    enum Kind {
        CLUSTERS("Clusters", "clusters", "ClustersConfigDump", "dynamic_active_clusters", "cluster", "name"),
        LISTENERS("Listeners", "listeners", "ListenersConfigDump", "dynamic_listeners", "active_state/listener", "name"),
        ROUTES("Routes", "routes", "RoutesConfigDump", "dynamic_route_configs", "route_config", "name"),
        ENDPOINTS("Endpoints", "endpoints", "EndpointsConfigDump", "dynamic_endpoint_configs", "endpoint_config", "cluster_name");

        final String title;
        final String discoveryField;
        final String dumpType;
        final String dumpList;
        final String dumpEntry;
        final String nameField;

        Kind(String title, String discoveryField, String dumpType, String dumpList, String dumpEntry, String nameField) {
            this.title = title;
            this.discoveryField = discoveryField;
            this.dumpType = dumpType;
            this.dumpList = dumpList;
            this.dumpEntry = dumpEntry;
            this.nameField = nameField;
        }
    }

    private static final String ADMIN_TYPES = "type.googleapis.com/envoy.admin.v3.";

    private ProxyStatusDiff() {
    }

    /** One line per type, then an indented line per resource only on one side or different on both. */
    static String render(String discoveryDump, String proxyDump) {
        JsonNode discovery = json(discoveryDump, "the discovery server's /debug/config_dump");
        JsonNode proxy = json(proxyDump, "the proxy's /config_dump");
        if (!discovery.isObject() || !proxy.path("configs").isArray()) {
            throw new IllegalArgumentException("the discovery server's or the proxy's config dump is not one");
        }
        StringBuilder out = new StringBuilder();
        for (Kind kind : Kind.values()) {
            List<String> differences = differences(byName(discovery.path(kind.discoveryField), kind), fromProxy(proxy, kind));
            out.append(kind.title).append(differences.isEmpty() ? " Match" : " Don't Match").append('\n');
            differences.forEach(d -> out.append("  ").append(d).append('\n'));
        }
        return out.toString();
    }

    /** True when every type matches: the text {@link #render} returns has no "Don't Match". */
    static boolean matches(String rendered) {
        return !rendered.contains("Don't Match");
    }

    private static List<String> differences(Map<String, JsonNode> sent, Map<String, JsonNode> held) {
        List<String> differences = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(sent.keySet());
        names.addAll(held.keySet());
        for (String name : names) {
            if (!held.containsKey(name)) {
                differences.add("not in the proxy: " + name);
            } else if (!sent.containsKey(name)) {
                differences.add("not sent by discovery: " + name);
            } else if (!Objects.equals(sent.get(name), held.get(name))) {
                differences.add("different: " + name);
            }
        }
        return differences;
    }

    private static Map<String, JsonNode> fromProxy(JsonNode dump, Kind kind) {
        List<JsonNode> resources = new ArrayList<>();
        for (JsonNode config : dump.path("configs")) {
            if (config.path("@type").asText().equals(ADMIN_TYPES + kind.dumpType)) {
                config.path(kind.dumpList).forEach(entry -> resources.add(entry.at("/" + kind.dumpEntry)));
            }
        }
        return byName(resources, kind);
    }

    /** The resources by name, each without the {@code @type} its Any wrapper gave it. */
    private static Map<String, JsonNode> byName(Iterable<JsonNode> resources, Kind kind) {
        Map<String, JsonNode> byName = new TreeMap<>();
        for (JsonNode resource : resources) {
            if (resource.isObject()) {
                ObjectNode copy = resource.deepCopy();
                copy.remove("@type");
                byName.put(copy.path(kind.nameField).asText(), copy);
            }
        }
        return byName;
    }

    /** @throws IllegalArgumentException naming {@code what} when the text is not JSON */
    static JsonNode json(String text, String what) {
        try {
            JsonNode root = ProxyConfigDump.JSON.readTree(text);
            return root == null ? ProxyConfigDump.JSON.missingNode() : root;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
