package dev.windlass.discovery.xds;

import dev.windlass.contract.IstioNames;
import dev.windlass.discovery.model.Protocol;
import dev.windlass.discovery.model.ServiceEntryHost;
import dev.windlass.discovery.routing.RouteSet;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The outbound filter chains of ServiceEntry hosts, for {@link OutboundListenerBuilder}. As in Istio: a TLS (or
 * HTTPS) port is matched by SNI (the host's name, or a VirtualService's {@code tls} rules for it) and, when the
 * entry has addresses, by those too; a TCP port by its addresses, or, without any, by nothing at all: the entry
 * then takes every connection to that port the listener has no better chain for. HTTP ports need no chain of
 * their own: the port's HTTP chain routes them by Host (RouteBuilder).
 */
final class EntryChains {
    /** One port of one ServiceEntry host. */
    record EntryPort(ServiceEntryHost entry, ServiceEntryHost.Port port) {
    }

    private EntryChains() {
    }

    /** The ports of the ServiceEntry hosts this proxy sees, in entry order. */
    static SortedMap<Integer, List<EntryPort>> byPort(ProxyView view) {
        SortedMap<Integer, List<EntryPort>> byPort = new TreeMap<>();
        for (ServiceEntryHost entry : view.entries()) {
            for (ServiceEntryHost.Port port : entry.ports()) {
                byPort.computeIfAbsent(port.number(), p -> new ArrayList<>()).add(new EntryPort(entry, port));
            }
        }
        return byPort;
    }

    /** The chains of a port's TLS and TCP entries; {@code httpChain} says whether the port has an unmatched HTTP chain. */
    static List<FilterChain> chains(ProxyView view, int port, List<EntryPort> entries, boolean httpChain) {
        List<FilterChain> chains = new ArrayList<>();
        for (EntryPort e : entries) {
            Protocol protocol = e.port().protocol();
            if (protocol == Protocol.TLS) {
                chains.addAll(tls(view, port, e.entry()));
            } else if (!protocol.isHttp()) {
                tcp(view, port, e.entry(), httpChain).ifPresent(chains::add);
            }
        }
        return chains;
    }

    private static List<FilterChain> tls(ProxyView view, int port, ServiceEntryHost entry) {
        Optional<RouteSet> set = view.traffic().routes().forHost(entry.host(), view.node().namespace());
        if (set.isPresent() && !set.get().tls().isEmpty()) {
            return L4Routes.sniChains(set.get().tls(), entry.addresses(), port, view);
        }
        String cluster = IstioNames.outboundCluster(port, entry.host());
        FilterChainMatch match = FilterChainMatch.newBuilder().addAllPrefixRanges(L4Routes.ranges(entry.addresses()))
                .setTransportProtocol("tls").addServerNames(entry.host()).build();
        return List.of(Envoy.tcpProxyChain(cluster, cluster).toBuilder().setFilterChainMatch(match).build());
    }

    /** An entry without addresses on a port that routes HTTP by Host cannot take the port's connections: none. */
    private static Optional<FilterChain> tcp(ProxyView view, int port, ServiceEntryHost entry, boolean httpChain) {
        if (entry.addresses().isEmpty() && httpChain) {
            return Optional.empty();
        }
        Optional<RouteSet> set = view.traffic().routes().forHost(entry.host(), view.node().namespace());
        String cluster = IstioNames.outboundCluster(port, entry.host());
        FilterChain chain = set.flatMap(s -> L4Routes.tcpChain(s.tcp(), entry.addresses(), port, view))
                .orElseGet(() -> Envoy.tcpProxyChain(cluster, cluster));
        FilterChainMatch match = FilterChainMatch.newBuilder().addAllPrefixRanges(L4Routes.ranges(entry.addresses())).build();
        return Optional.of(chain.toBuilder().setFilterChainMatch(match).build());
    }
}
