package dev.windlass.discovery.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;

/**
 * The gateways that configure one gateway pod, merged into the listeners it serves, as Istio's mergeGateways
 * does. Servers are taken in gateway order (oldest first) and keyed by the port the pod listens on. The first
 * server on a port decides what the port carries: plain HTTP servers share it (one route configuration,
 * {@code http.<port>}); TLS servers (HTTPS terminated here, TLS passed through) share it, each HTTPS server with
 * a route configuration of its own; a TCP server has it alone. A later server that does not fit is left out, as is
 * any server with TLS settings that names a host another one on the port already named (they would become
 * identical SNI matches). Pure.
 */
public final class GatewayMerge {
    private GatewayMerge() {
    }

    /** What a listener port carries, decided by its first server. */
    public enum PortClass { HTTP, TLS, TCP }

    /** The servers of one listener port, in merge order. */
    public record PortServers(int port, PortClass portClass, List<GatewayServer> servers) {
        public PortServers {
            servers = List.copyOf(servers);
        }
    }

    /** The ports of a gateway pod, by number, and the servers left out. */
    public record MergedGateway(SortedMap<Integer, PortServers> ports, List<GatewayServer> skipped) {
        public static final MergedGateway EMPTY = new MergedGateway(new TreeMap<>(), List.of());

        public MergedGateway {
            ports = Collections.unmodifiableSortedMap(new TreeMap<>(ports));
            skipped = List.copyOf(skipped);
        }

        /** The HTTP servers of each route configuration (RDS), by route name, in merge order. */
        public Map<String, List<GatewayServer>> serversByRoute() {
            Map<String, List<GatewayServer>> byRoute = new LinkedHashMap<>();
            ports.values().forEach(p -> p.servers().stream()
                    .filter(s -> s.kind() == GatewayServer.Kind.HTTP || s.kind() == GatewayServer.Kind.HTTPS)
                    .forEach(s -> byRoute.computeIfAbsent(routeName(s, p.port()), k -> new ArrayList<>()).add(s)));
            return byRoute;
        }
    }

    /**
     * Istio's route configuration names: {@code http.<listener port>} for plain HTTP, shared by every such server
     * on the port; {@code https.<port>.<port name>.<gateway>.<namespace>} for a terminating HTTPS server.
     */
    public static String routeName(GatewayServer server, int listenerPort) {
        return server.kind() == GatewayServer.Kind.HTTPS
                ? "https." + server.port() + "." + server.portName() + "." + server.gatewayName() + "." + server.gatewayNamespace()
                : "http." + listenerPort;
    }

    /** {@code listenerPort}: the port the pod listens on for a server's port (Istio's resolvePorts). */
    public static MergedGateway merge(List<GatewayConfig> gateways, IntUnaryOperator listenerPort) {
        Map<Integer, List<GatewayServer>> byPort = new LinkedHashMap<>();
        Map<Integer, Set<String>> tlsHosts = new TreeMap<>();
        Set<String> httpsRoutes = new HashSet<>();
        List<GatewayServer> skipped = new ArrayList<>();
        for (GatewayConfig gateway : gateways) {
            for (GatewayServer server : gateway.servers()) {
                int port = listenerPort.applyAsInt(server.port());
                boolean fits = uniqueTlsHosts(server, tlsHosts.computeIfAbsent(port, p -> new HashSet<>()))
                        && fits(server, byPort.get(port), port, httpsRoutes);
                if (fits) {
                    byPort.computeIfAbsent(port, p -> new ArrayList<>()).add(server);
                } else {
                    skipped.add(server);
                }
            }
        }
        SortedMap<Integer, PortServers> ports = new TreeMap<>();
        byPort.forEach((port, servers) -> ports.put(port, new PortServers(port, portClass(servers.getFirst()), servers)));
        return new MergedGateway(ports, skipped);
    }

    /** Servers with TLS settings become SNI matches, so none may repeat a host of the port (then its hosts count). */
    private static boolean uniqueTlsHosts(GatewayServer server, Set<String> known) {
        if (server.tls() == null) {
            return true;
        }
        if (server.hosts().stream().anyMatch(known::contains)) {
            return false;
        }
        known.addAll(server.hosts());
        return true;
    }

    private static boolean fits(GatewayServer server, List<GatewayServer> existing, int port, Set<String> httpsRoutes) {
        PortClass current = existing == null ? null : portClass(existing.getFirst());
        boolean fits = current == null || switch (current) {
            case HTTP -> server.kind() == GatewayServer.Kind.HTTP;
            case TCP -> false;
            case TLS -> portClass(server) == PortClass.TLS;
        };
        return fits && (server.kind() != GatewayServer.Kind.HTTPS || httpsRoutes.add(routeName(server, port)));
    }

    private static PortClass portClass(GatewayServer server) {
        return switch (server.kind()) {
            case HTTP -> PortClass.HTTP;
            case HTTPS, TLS -> PortClass.TLS;
            case TCP -> PortClass.TCP;
        };
    }
}
