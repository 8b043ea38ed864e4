package dev.windlass.discovery.xds;

import com.google.protobuf.BoolValue;
import dev.windlass.discovery.routing.GatewayMerge;
import dev.windlass.discovery.routing.GatewayServer;
import dev.windlass.discovery.routing.HostPattern;
import dev.windlass.discovery.routing.RouteSet;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * RDS for a gateway proxy, as Istio's buildGatewayHTTPRouteConfig: for each route configuration of the merged
 * gateways, one virtual host per host that a server of it and a route set bound to the server's gateway have in
 * common (Istio's host intersection: the more specific of two overlapping names; a server host {@code ns/h}
 * only for route sets of {@code ns}). The routes are built as for sidecars ({@link HttpRoutes}, for the server's
 * port and gateway); several route sets on one host append their routes, and catch-all routes go last. A server
 * with {@code httpsRedirect} makes its hosts' virtual hosts require TLS (a host without routes gets a virtual host
 * for the redirect alone). With no virtual host, {@code blackhole:<port>} answers every request 404.
 */
final class GatewayRouteBuilder {
    private GatewayRouteBuilder() {
    }

    static SortedMap<String, RouteConfiguration> build(ProxyView view, GatewayMerge.MergedGateway merged) {
        SortedMap<String, RouteConfiguration> routes = new TreeMap<>();
        merged.serversByRoute().forEach((name, servers) -> routes.put(name, routeConfiguration(view, name, servers)));
        return routes;
    }

    /** A virtual host being built: its port (the first server's), its routes, whether it redirects to HTTPS. */
    private static final class Host {
        final int port;
        final List<Route> routes = new ArrayList<>();
        boolean requireTls;

        Host(int port) {
            this.port = port;
        }
    }

    private static RouteConfiguration routeConfiguration(ProxyView view, String name, List<GatewayServer> servers) {
        Map<String, Host> hosts = new TreeMap<>();
        Map<String, List<Route>> built = new HashMap<>();
        for (GatewayServer server : servers) {
            for (RouteSet set : view.traffic().routes().boundTo(server.gateway(), view.node().namespace())) {
                List<String> common = set.http().isEmpty() ? List.of() : HostPattern.intersection(server.hostsFor(set.namespace()), set.hosts());
                if (common.isEmpty()) {
                    continue;
                }
                List<Route> routes = built.computeIfAbsent(server.gateway() + "|" + set.namespace() + "/" + set.name(),
                        k -> HttpRoutes.of(set, server.port(), view, server.gateway()));
                for (String host : common) {
                    Host vhost = hosts.computeIfAbsent(host.toLowerCase(Locale.ROOT), h -> new Host(server.port()));
                    vhost.routes.addAll(routes);
                    vhost.requireTls |= server.redirectsToHttps();
                }
            }
            if (server.redirectsToHttps()) {
                // Istio names the server's hosts with their namespace here; the name alone is what a Host header holds.
                server.hostNames().forEach(h -> hosts.computeIfAbsent(h.toLowerCase(Locale.ROOT), k -> new Host(server.port())).requireTls = true);
            }
        }
        RouteConfiguration.Builder config = RouteConfiguration.newBuilder().setName(name).setValidateClusters(BoolValue.of(false));
        if (hosts.isEmpty()) {
            return config.addVirtualHosts(VirtualHost.newBuilder().setName("blackhole:" + servers.getFirst().port())
                    .addDomains("*")).build();
        }
        hosts.forEach((host, vhost) -> config.addVirtualHosts(virtualHost(host, vhost)));
        return config.build();
    }

    private static VirtualHost virtualHost(String host, Host vhost) {
        List<Route> ordered = new ArrayList<>(vhost.routes.stream().filter(r -> !catchAll(r)).toList());
        ordered.addAll(vhost.routes.stream().filter(GatewayRouteBuilder::catchAll).toList());
        List<String> domains = host.equals("*") ? List.of("*") : List.of(host, host + ":" + vhost.port);
        VirtualHost.Builder builder = VirtualHost.newBuilder().setName(host + ":" + vhost.port).addAllDomains(domains)
                .addAllRoutes(ordered).setIncludeRequestAttemptCount(true);
        if (vhost.requireTls) {
            builder.setRequireTls(VirtualHost.TlsRequirementType.ALL);
        }
        return builder.build();
    }

    /** Istio's isCatchAllRoute: prefix {@code /} (or regex {@code *}) with no header or query condition. */
    private static boolean catchAll(Route route) {
        var match = route.getMatch();
        boolean any = match.hasPrefix() && match.getPrefix().equals("/")
                || match.hasPathSeparatedPrefix() && match.getPathSeparatedPrefix().equals("/")
                || match.hasSafeRegex() && match.getSafeRegex().getRegex().equals("*");
        return any && match.getHeadersCount() == 0 && match.getQueryParametersCount() == 0;
    }
}
