package dev.windlass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** What {@code proxy-config} shows, which admin pages it reads, and how it prints them (a table, JSON or YAML). */
enum ProxyConfigType {
    LISTENERS, ROUTES, CLUSTERS, ENDPOINTS, SECRETS, BOOTSTRAP, LOG, ALL;

    static final String CONFIG_DUMP = "/config_dump";
    static final String CLUSTERS_PAGE = "/clusters";
    static final String LOGGING = "/logging";

    /** The admin pages of the proxy this type reads, in the order {@link Pages} takes them. */
    List<String> adminPaths() {
        return switch (this) {
            case ENDPOINTS -> List.of(CLUSTERS_PAGE);
            case ALL -> List.of(CONFIG_DUMP, CLUSTERS_PAGE);
            case LOG -> List.of(LOGGING);
            default -> List.of(CONFIG_DUMP);
        };
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

    /** The admin pages read: {@code /config_dump} and {@code /clusters}, either null when this type does not read it. */
    record Pages(String configDump, String clusters) {
    }

    /** Renders one admin page: {@code /clusters} for endpoints, {@code /config_dump} for the others; a table, or JSON. */
    String render(String adminPage, boolean json) {
        return render(adminPage, json, null);
    }

    /** The same; {@code routeName} (routes only; null: all) keeps the route configuration of that name, as istioctl's --name. */
    String render(String adminPage, boolean json, String routeName) {
        Pages pages = this == ENDPOINTS ? new Pages(null, adminPage) : new Pages(adminPage, null);
        return render(pages, json ? ProxyConfigOutput.JSON : ProxyConfigOutput.SHORT, ProxyConfigFilters.routesNamed(routeName));
    }

    String render(Pages pages, ProxyConfigOutput output, ProxyConfigFilters filters) {
        ProxyConfigDump dump = pages.configDump() == null ? null : ProxyConfigDump.parse(pages.configDump()).filtered(filters);
        List<ProxyConfigEndpoints.Endpoint> endpoints = pages.clusters() == null ? null
                : ProxyConfigEndpoints.parse(pages.clusters()).stream().filter(filters.endpoint()).toList();
        if (this == ALL) {
            return output == ProxyConfigOutput.SHORT ? allTables(dump, endpoints) : output.print(allResources(dump, endpoints));
        }
        if (this == BOOTSTRAP) {
            if (dump.bootstrap().isMissingNode()) {
                throw new IllegalArgumentException("POD: the proxy's /config_dump has no bootstrap");
            }
            return (output == ProxyConfigOutput.SHORT ? ProxyConfigOutput.JSON : output).print(dump.bootstrap());
        }
        return output == ProxyConfigOutput.SHORT ? table(dump, endpoints).render() : output.print(resources(dump, endpoints));
    }

    private ProxyConfigTable table(ProxyConfigDump dump, List<ProxyConfigEndpoints.Endpoint> endpoints) {
        return switch (this) {
            case LISTENERS -> ProxyConfigListeners.table(dump);
            case ROUTES -> ProxyConfigRoutes.table(dump);
            case CLUSTERS -> ProxyConfigClusters.table(dump);
            case ENDPOINTS -> ProxyConfigEndpoints.table(endpoints);
            case SECRETS -> secretsTable(dump);
            default -> throw new IllegalStateException(name() + " has no table");
        };
    }

    private JsonNode resources(ProxyConfigDump dump, List<ProxyConfigEndpoints.Endpoint> endpoints) {
        return switch (this) {
            case LISTENERS -> array(dump.listeners());
            case ROUTES -> array(dump.routes());
            case CLUSTERS -> array(dump.clusters());
            case ENDPOINTS -> ProxyConfigDump.JSON.valueToTree(endpoints);
            case SECRETS -> array(dump.secrets());
            default -> throw new IllegalStateException(name() + " has no resource list");
        };
    }

    private static final List<ProxyConfigType> SECTIONS = List.of(LISTENERS, ROUTES, CLUSTERS, ENDPOINTS, SECRETS);

    private static String allTables(ProxyConfigDump dump, List<ProxyConfigEndpoints.Endpoint> endpoints) {
        return SECTIONS.stream().map(t -> t.table(dump, endpoints).render()).collect(Collectors.joining("\n"));
    }

    private static ObjectNode allResources(ProxyConfigDump dump, List<ProxyConfigEndpoints.Endpoint> endpoints) {
        ObjectNode all = ProxyConfigDump.JSON.createObjectNode();
        SECTIONS.forEach(t -> all.set(t.name().toLowerCase(Locale.ROOT), t.resources(dump, endpoints)));
        return all;
    }

    /** Secrets by name: a certificate chain, or a CA to validate peers with. */
    private static ProxyConfigTable secretsTable(ProxyConfigDump dump) {
        ProxyConfigTable table = ProxyConfigTable.of("RESOURCE NAME", "TYPE", "STATUS");
        for (JsonNode secret : dump.secrets()) {
            String type = secret.has("tls_certificate") ? "Cert Chain" : secret.has("validation_context") ? "CA" : "-";
            table = table.withRow(secret.path("name").asText(), type, "ACTIVE");
        }
        return table;
    }

    private static ArrayNode array(List<JsonNode> resources) {
        return ProxyConfigDump.JSON.createArrayNode().addAll(resources);
    }
}
