package dev.windlass.discovery.xds;

import dev.windlass.discovery.routing.GatewayServer;
import dev.windlass.discovery.routing.L4Rule;
import dev.windlass.discovery.routing.RouteSet;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The filter chains of a gateway's TCP and TLS-passthrough servers, from the route sets bound to the server's
 * gateway that expose one of its hosts (oldest first), as Istio's buildGatewayNetworkFiltersFromTCPRoutes and
 * ...FromTLSRoutes: a TCP server proxies to the first {@code tcp} rule whose match fits its port and gateway; a
 * TLS server gets one chain per {@code tls} match that fits, matched by its SNI names, unless one of those names
 * already has a chain on the port.
 */
final class GatewayL4Chains {
    private GatewayL4Chains() {
    }

    static Optional<FilterChain> tcp(ProxyView view, GatewayServer server) {
        for (RouteSet set : bound(view, server)) {
            for (L4Rule rule : set.tcp()) {
                if (rule.matches().isEmpty() || rule.matches().stream().anyMatch(c -> c.appliesToServer(server.port(), server.gateway()))) {
                    return Optional.of(L4Routes.proxyChain(rule.destinations(), server.port(), view));
                }
            }
        }
        return Optional.empty();
    }

    /** {@code sniSeen}: the SNI names that already have a chain on this listener port; the new ones are added. */
    static List<FilterChain> passthrough(ProxyView view, GatewayServer server, Set<String> sniSeen) {
        List<FilterChain> chains = new ArrayList<>();
        for (RouteSet set : bound(view, server)) {
            for (L4Rule rule : set.tls()) {
                for (L4Rule.Condition condition : rule.matches()) {
                    if (condition.appliesToServer(server.port(), server.gateway())
                            && condition.sniHosts().stream().noneMatch(sniSeen::contains)) {
                        sniSeen.addAll(condition.sniHosts());
                        FilterChainMatch match = FilterChainMatch.newBuilder().addAllServerNames(condition.sniHosts())
                                .setTransportProtocol("tls").build();
                        chains.add(L4Routes.proxyChain(rule.destinations(), server.port(), view).toBuilder()
                                .setFilterChainMatch(match).build());
                    }
                }
            }
        }
        return chains;
    }

    private static List<RouteSet> bound(ProxyView view, GatewayServer server) {
        return view.traffic().routes().boundTo(server.gateway(), view.node().namespace()).stream()
                .filter(server::exposesAHostOf).toList();
    }
}
