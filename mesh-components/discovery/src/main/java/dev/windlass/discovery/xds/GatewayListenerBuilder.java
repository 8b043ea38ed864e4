package dev.windlass.discovery.xds;

import dev.windlass.contract.IstioNames;
import dev.windlass.discovery.routing.GatewayMerge;
import dev.windlass.discovery.routing.GatewayServer;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * LDS for a gateway proxy ({@code router~}): one listener {@code 0.0.0.0_<port>} per port of its merged
 * gateways, which the gateway binds itself (bind_to_port left at Envoy's default, true). A plain HTTP port has
 * one HTTP chain (RDS {@code http.<port>}); a TLS port one chain per HTTPS server (TLS terminated, matched by
 * the server's host names as SNI, RDS {@code https.<port>.<port name>.<gateway>.<namespace>}) and one per
 * passed-through SNI match; a TCP port one tcp_proxy chain. A port left without a chain (a TCP or TLS server no
 * route binds to) has no listener, as in Istio; the tls_inspector reads SNI where a chain matches on it.
 */
final class GatewayListenerBuilder {
    private GatewayListenerBuilder() {
    }

    static SortedMap<String, Listener> build(ProxyView view, GatewayMerge.MergedGateway merged) {
        SortedMap<String, Listener> listeners = new TreeMap<>();
        InboundRbac rbac = view.inboundRbac();
        for (GatewayMerge.PortServers port : merged.ports().values()) {
            String name = IstioNames.outboundListener(port.port());
            List<FilterChain> chains = switch (port.portClass()) {
                case HTTP -> List.of(Envoy.httpRdsChain(name, statPrefix(name), GatewayMerge.routeName(port.servers().getFirst(), port.port())));
                case TCP -> GatewayL4Chains.tcp(view, port.servers().getFirst()).map(List::of).orElse(List.of());
                case TLS -> tlsChains(view, port);
            };
            if (!chains.isEmpty()) {
                listeners.put(name, listener(name, port.port(), chains.stream().map(rbac::apply).toList()));
            }
        }
        return listeners;
    }

    private static Listener listener(String name, int port, List<FilterChain> chains) {
        return Envoy.inspectTlsWhereMatched(Listener.newBuilder().setName(name).setAddress(Envoy.address("0.0.0.0", port))
                .setTrafficDirection(TrafficDirection.OUTBOUND).addAllFilterChains(chains)).build();
    }

    private static List<FilterChain> tlsChains(ProxyView view, GatewayMerge.PortServers port) {
        List<FilterChain> chains = new ArrayList<>();
        Set<String> sniSeen = new HashSet<>();
        for (GatewayServer server : port.servers()) {
            if (server.kind() == GatewayServer.Kind.HTTPS) {
                chains.add(https(server, port.port()));
            } else {
                chains.addAll(GatewayL4Chains.passthrough(view, server, sniSeen));
            }
        }
        return chains;
    }

    /** A terminating server's chain: its hosts as SNI names (none for {@code *}: any name), its TLS, its routes. */
    private static FilterChain https(GatewayServer server, int port) {
        String routeName = GatewayMerge.routeName(server, port);
        String statPrefix = server.name().isEmpty() ? statPrefix(IstioNames.outboundListener(port)) : server.name();
        FilterChain.Builder chain = Envoy.httpRdsChain(routeName, statPrefix, routeName).toBuilder()
                .setTransportSocket(GatewayTls.transportSocket(server.tls()));
        List<String> names = server.hostNames();
        if (!names.contains("*")) {
            chain.setFilterChainMatch(FilterChainMatch.newBuilder().addAllServerNames(names));
        }
        return chain.build();
    }

    /** Istio's stat prefix of a gateway's HTTP connection manager: {@code outbound_0.0.0.0_<port>}. */
    private static String statPrefix(String listenerName) {
        return "outbound_" + listenerName;
    }
}
