package dev.windlass.discovery.xds;

import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import dev.windlass.discovery.model.ServiceModel;
import dev.windlass.discovery.model.ServicePortModel;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * LDS, outbound side. {@code virtualOutbound} (0.0.0.0:15001) receives everything iptables captures and, with
 * {@code use_original_dst}, hands each connection to the listener {@code 0.0.0.0_<original port>}; what has no
 * such listener takes its default chain, to PassthroughCluster (ALLOW_ANY) or BlackHoleCluster (REGISTRY_ONLY).
 *
 * <p>A per-port listener (not bound to the port, as in Istio) has: one HTTP chain without a match when some
 * Service serves that port over HTTP (RDS picks the Service by Host); one tcp_proxy chain per TCP Service,
 * matched by its ClusterIP/32, which Envoy prefers over the HTTP chain as the more specific match. A listener
 * without an HTTP chain gets the same default chain as virtualOutbound, for other addresses on that port.
 */
final class OutboundListenerBuilder {
    private OutboundListenerBuilder() {
    }

    static SortedMap<String, Listener> build(ProxyView view) {
        SortedMap<String, Listener> listeners = new TreeMap<>();
        listeners.put(IstioNames.VIRTUAL_OUTBOUND, virtualOutbound(view));
        portsToServices(view).forEach((port, services) -> {
            Listener listener = portListener(view, port, services);
            if (listener.getFilterChainsCount() > 0) {
                listeners.put(listener.getName(), listener);
            }
        });
        return listeners;
    }

    private static Listener virtualOutbound(ProxyView view) {
        return Listener.newBuilder().setName(IstioNames.VIRTUAL_OUTBOUND)
                .setAddress(Envoy.address("0.0.0.0", IstioNames.OUTBOUND_PORT))
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

    private static Listener portListener(ProxyView view, int port, List<ServiceModel> services) {
        String name = IstioNames.outboundListener(port);
        Listener.Builder listener = Listener.newBuilder().setName(name)
                .setAddress(Envoy.address("0.0.0.0", port))
                .setBindToPort(BoolValue.of(false))
                .setTrafficDirection(TrafficDirection.OUTBOUND);
        boolean http = false;
        for (ServiceModel service : services) {
            ServicePortModel servicePort = portOf(service, port);
            if (servicePort.protocol().isHttp()) {
                http = true;
            } else if (service.clusterIp() != null) {
                listener.addFilterChains(tcpChain(view, service, port));
            }
        }
        if (http) {
            listener.addFilterChains(Envoy.httpRdsChain(name, "outbound_" + name, IstioNames.routeConfig(port)));
        } else if (listener.getFilterChainsCount() > 0) {
            listener.setDefaultFilterChain(Envoy.tcpProxyChain("PassthroughFilterChain", view.fallbackCluster()));
        }
        return listener.build();
    }

    private static FilterChain tcpChain(ProxyView view, ServiceModel service, int port) {
        String cluster = IstioNames.outboundCluster(port, view.fqdn(service));
        FilterChainMatch match = FilterChainMatch.newBuilder()
                .addPrefixRanges(CidrRange.newBuilder().setAddressPrefix(service.clusterIp()).setPrefixLen(UInt32Value.of(32)))
                .build();
        return Envoy.tcpProxyChain(cluster, cluster).toBuilder().setFilterChainMatch(match).build();
    }

    private static ServicePortModel portOf(ServiceModel service, int port) {
        return service.ports().stream().filter(p -> p.port() == port).findFirst().orElseThrow();
    }
}
