package dev.windlass.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** What {@code proxy-config} shows, which admin page it reads, and how it prints it (a table, or JSON). */
enum ProxyConfigType {
    LISTENERS("/config_dump"),
    ROUTES("/config_dump"),
    CLUSTERS("/config_dump"),
    ENDPOINTS("/clusters");

    private final String adminPath;

    ProxyConfigType(String adminPath) {
        this.adminPath = adminPath;
    }

    String adminPath() {
        return adminPath;
    }

    /** The plural, or istioctl's singular command name ({@code route}, {@code listener}...). */
    static ProxyConfigType parse(String text) {
        String names = Arrays.stream(values()).map(t -> t.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
        if (text == null) {
            throw new InputException("TYPE: one of " + names + " is required");
        }
        return Arrays.stream(values()).filter(t -> t.name().equalsIgnoreCase(text) || t.name().equalsIgnoreCase(text + "s"))
                .findFirst().orElseThrow(() -> new InputException("TYPE: '" + text + "' is not one of " + names));
    }

    /** Renders the admin page this type reads: a table, or with {@code json} the resources as a JSON array. */
    String render(String adminPage, boolean json) {
        return render(adminPage, json, null);
    }

    /** The same; {@code routeName} (routes only; null: all) keeps the route configuration of that name, as istioctl's --name. */
    String render(String adminPage, boolean json, String routeName) {
        if (this == ENDPOINTS) {
            List<ProxyConfigEndpoints.Endpoint> endpoints = ProxyConfigEndpoints.parse(adminPage);
            return json ? pretty(ProxyConfigDump.JSON.valueToTree(endpoints)) : ProxyConfigEndpoints.table(endpoints).render();
        }
        ProxyConfigDump dump = ProxyConfigDump.parse(adminPage).withRoutesNamed(routeName);
        return switch (this) {
            case LISTENERS -> json ? pretty(array(dump.listeners())) : ProxyConfigListeners.table(dump).render();
            case ROUTES -> json ? pretty(array(dump.routes())) : ProxyConfigRoutes.table(dump).render();
            default -> json ? pretty(array(dump.clusters())) : ProxyConfigClusters.table(dump).render();
        };
    }

    private static ArrayNode array(List<com.fasterxml.jackson.databind.JsonNode> resources) {
        return ProxyConfigDump.JSON.createArrayNode().addAll(resources);
    }

    private static String pretty(Object json) {
        try {
            return ProxyConfigDump.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
