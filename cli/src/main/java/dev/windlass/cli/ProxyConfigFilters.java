package dev.windlass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * istioctl proxy-config's filters. Each filter applies to some types only (with {@code all}, to the sections it
 * applies to); giving one to a type it does not filter is bad input naming the flag.
 */
final class ProxyConfigFilters {
    @Option(names = "--port", description = "listeners, clusters, endpoints: only this port.")
    Integer port;

    @Option(names = "--address", description = "listeners, endpoints: only this address.")
    String address;

    @Option(names = "--type", description = "listeners: only HTTP, TCP or HTTP+TCP listeners.")
    String type;

    @Option(names = "--name", description = "routes: only the route configuration of this name (http.80, 9080...).")
    String name;

    @Option(names = "--fqdn", description = "clusters: only this service FQDN (a prefix of it will do, as productpage).")
    String fqdn;

    @Option(names = "--subset", description = "clusters: only this subset.")
    String subset;

    @Option(names = "--direction", description = "clusters: only inbound or outbound.")
    String direction;

    @Option(names = "--cluster", description = "endpoints: only the endpoints of this cluster.")
    String cluster;

    @Option(names = "--status", description = "endpoints: only HEALTHY or UNHEALTHY endpoints.")
    String status;

    static ProxyConfigFilters none() {
        return new ProxyConfigFilters();
    }

    static ProxyConfigFilters routesNamed(String name) {
        ProxyConfigFilters filters = new ProxyConfigFilters();
        filters.name = name;
        return filters;
    }

    /** Refuses a filter the type does not apply, naming the flag and the types it applies to. */
    void check(ProxyConfigType what) {
        for (Map.Entry<String, Object> flag : given().entrySet()) {
            Set<ProxyConfigType> types = appliesTo(flag.getKey());
            if (what != ProxyConfigType.ALL && !types.contains(what)) {
                List<String> names = new ArrayList<>();
                types.forEach(t -> names.add(t.name().toLowerCase(Locale.ROOT)));
                throw new InputException(flag.getKey() + ": only " + String.join(" and ", names) + " are filtered by it");
            }
        }
        if (port != null && (port < 0 || port > 65535)) {
            throw new InputException("--port: " + port + " is not a port number");
        }
        if (direction != null && !direction.matches("inbound|outbound")) {
            throw new InputException("--direction: '" + direction + "' is not inbound or outbound");
        }
    }

    private Map<String, Object> given() {
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put("--port", port);
        flags.put("--address", address);
        flags.put("--type", type);
        flags.put("--name", name);
        flags.put("--fqdn", fqdn);
        flags.put("--subset", subset);
        flags.put("--direction", direction);
        flags.put("--cluster", cluster);
        flags.put("--status", status);
        flags.values().removeIf(v -> v == null);
        return flags;
    }

    private static Set<ProxyConfigType> appliesTo(String flag) {
        return switch (flag) {
            case "--port" -> Set.of(ProxyConfigType.LISTENERS, ProxyConfigType.CLUSTERS, ProxyConfigType.ENDPOINTS);
            case "--address" -> Set.of(ProxyConfigType.LISTENERS, ProxyConfigType.ENDPOINTS);
            case "--type" -> Set.of(ProxyConfigType.LISTENERS);
            case "--name" -> Set.of(ProxyConfigType.ROUTES);
            case "--cluster", "--status" -> Set.of(ProxyConfigType.ENDPOINTS);
            default -> Set.of(ProxyConfigType.CLUSTERS);
        };
    }

    Predicate<JsonNode> listener() {
        return l -> {
            JsonNode socket = l.path("address").path("socket_address");
            return (port == null || socket.path("port_value").asInt() == port)
                    && (address == null || address.equals(socket.path("address").asText()))
                    && (type == null || type.equalsIgnoreCase(ProxyConfigListeners.type(l)));
        };
    }

    Predicate<JsonNode> route() {
        return r -> name == null || name.equals(r.path("name").asText());
    }

    /** Istio's cluster names: {@code direction|port|subset|fqdn}; others (PassthroughCluster) match no part filter. */
    Predicate<JsonNode> cluster() {
        return c -> {
            String[] parts = c.path("name").asText().split("\\|", -1);
            if (parts.length != 4) {
                return port == null && fqdn == null && subset == null && direction == null;
            }
            return (port == null || parts[1].equals(port.toString()))
                    && (fqdn == null || parts[3].equals(fqdn) || parts[3].startsWith(fqdn + "."))
                    && (subset == null || parts[2].equals(subset))
                    && (direction == null || parts[0].equals(direction));
        };
    }

    Predicate<ProxyConfigEndpoints.Endpoint> endpoint() {
        return e -> {
            int colon = e.endpoint().lastIndexOf(':');
            String host = colon < 0 ? e.endpoint() : e.endpoint().substring(0, colon);
            String endpointPort = colon < 0 ? "" : e.endpoint().substring(colon + 1);
            return (port == null || endpointPort.equals(port.toString()))
                    && (address == null || address.equals(host))
                    && (cluster == null || cluster.equals(e.cluster()))
                    && (status == null || e.status().split(" ")[0].equalsIgnoreCase(status));
        };
    }
}
