package dev.windlass.discovery.xds;

import com.google.protobuf.BoolValue;
import dev.windlass.contract.IstioNames;
import dev.windlass.contract.MeshPorts;
import dev.windlass.discovery.model.Protocol;
import dev.windlass.discovery.model.ServiceModel;
import dev.windlass.discovery.model.ServicePortModel;
import dev.windlass.discovery.routing.RouteSet;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * LDS, outbound side. {@code virtualOutbound} (0.0.0.0:15001) receives everything iptables captures and, with
 * {@code use_original_dst}, hands each connection to the listener {@code 0.0.0.0_<original port>}; what has no
 * such listener takes its default chain, to PassthroughCluster (ALLOW_ANY) or BlackHoleCluster (REGISTRY_ONLY).
 *
 * <p>A per-port listener (not bound to the port, as in Istio) has: one HTTP chain without a match when some
 * Service or ServiceEntry host serves that port over HTTP (RDS picks the Service by Host); one tcp_proxy chain per
 * TCP Service, matched by its ClusterIP/32, which Envoy prefers over the HTTP chain as the more specific match;
 * the chains of ServiceEntry hosts ({@link EntryChains}), and TLS rules' chains by SNI, for which the listener reads
 * the ClientHello (tls_inspector). A listener without an HTTP chain gets the same default chain as virtualOutbound,
 * for other addresses on that port.
 */
final class OutboundListenerBuilder {
    private OutboundListenerBuilder() {
    }

    static SortedMap<String, Listener> build(ProxyView view) {
        SortedMap<String, Listener> listeners = new TreeMap<>();
        listeners.put(IstioNames.VIRTUAL_OUTBOUND, virtualOutbound(view));
        SortedMap<Integer, List<ServiceModel>> services = portsToServices(view);
        SortedMap<Integer, List<EntryChains.EntryPort>> entries = EntryChains.byPort(view);
        java.util.SortedSet<Integer> ports = new java.util.TreeSet<>(services.keySet());
        ports.addAll(entries.keySet());
        for (int port : ports) {
            Listener listener = portListener(view, port, services.getOrDefault(port, List.of()),
                    entries.getOrDefault(port, List.of()));
            if (listener.getFilterChainsCount() > 0) {
                listeners.put(listener.getName(), listener);
            }
        }
        return listeners;
    }

    private static Listener virtualOutbound(ProxyView view) {
        return Listener.newBuilder().setName(IstioNames.VIRTUAL_OUTBOUND)
                .setAddress(Envoy.address("0.0.0.0", MeshPorts.OUTBOUND_CAPTURE))
                .setUseOriginalDst(BoolValue.of(true))
                .setTrafficDirection(TrafficDirection.OUTBOUND)
                .setDefaultFilterChain(Envoy.tcpProxyChain("virtualOutbound-catchall-tcp", view.fallbackCluster()))
                .build();
    }

    /** The Services of each port number, in Service order. */
    private static SortedMap<Integer, List<ServiceModel>> portsToServices(ProxyView view) {
        SortedMap<Integer, List<ServiceModel>> byPort = new TreeMap<>();
        for (ServiceModel service : view.snapshot().services()) {
            for (ServicePortModel port : service.ports()) {
                byPort.computeIfAbsent(port.port(), p -> new ArrayList<>()).add(service);
            }
        }
        return byPort;
    }

    private static Listener portListener(ProxyView view, int port, List<ServiceModel> services,
                                         List<EntryChains.EntryPort> entries) {
        String name = IstioNames.outboundListener(port);
        Listener.Builder listener = Listener.newBuilder().setName(name)
                .setAddress(Envoy.address("0.0.0.0", port))
                .setBindToPort(BoolValue.of(false))
                .setTrafficDirection(TrafficDirection.OUTBOUND);
        boolean http = entries.stream().anyMatch(e -> e.port().protocol().isHttp());
        List<FilterChain> chains = new ArrayList<>();
        for (ServiceModel service : services) {
            ServicePortModel servicePort = portOf(service, port);
            if (servicePort.protocol().isHttp()) {
                http = true;
            } else if (service.clusterIp() != null) {
                chains.addAll(tcpChains(view, service, servicePort));
            }
        }
        chains.addAll(EntryChains.chains(view, port, entries, http));
        // Envoy refuses two chains with one match; the first (Services, then the oldest entry) keeps it.
        java.util.Set<FilterChainMatch> matches = new java.util.HashSet<>();
        chains.stream().filter(c -> matches.add(c.getFilterChainMatch())).forEach(listener::addFilterChains);
        if (http) {
            listener.addFilterChains(Envoy.httpRdsChain(name, "outbound_" + name, IstioNames.routeConfig(port)));
        } else if (listener.getFilterChainsCount() > 0) {
            listener.setDefaultFilterChain(Envoy.tcpProxyChain("PassthroughFilterChain", view.fallbackCluster()));
        }
        return Envoy.inspectTlsWhereMatched(listener).build();
    }

    /**
     * The chains of a TCP (or TLS) Service: matched by its ClusterIP/32, to the destinations of the route set
     * rule that applies (else the Service's cluster); a TLS Service's tls rules add chains matched by SNI too.
     */
    private static List<FilterChain> tcpChains(ProxyView view, ServiceModel service, ServicePortModel port) {
        String fqdn = view.fqdn(service);
        Optional<RouteSet> set = view.traffic().routes().forHost(fqdn, view.node().namespace());
        List<FilterChain> chains = new ArrayList<>();
        List<String> address = List.of(service.clusterIp());
        if (port.protocol() == Protocol.TLS && set.isPresent()) {
            chains.addAll(L4Routes.sniChains(set.get().tls(), address, port.port(), view));
        }
        FilterChainMatch byIp = FilterChainMatch.newBuilder().addPrefixRanges(L4Routes.host(service.clusterIp())).build();
        FilterChain chain = set.flatMap(s -> L4Routes.tcpChain(s.tcp(), address, port.port(), view))
                .orElseGet(() -> {
                    String cluster = IstioNames.outboundCluster(port.port(), fqdn);
                    return Envoy.tcpProxyChain(cluster, cluster);
                });
        chains.add(chain.toBuilder().setFilterChainMatch(byIp).build());
        return chains;
    }

    private static ServicePortModel portOf(ServiceModel service, int port) {
        return service.ports().stream().filter(p -> p.port() == port).findFirst().orElseThrow();
    }
}
