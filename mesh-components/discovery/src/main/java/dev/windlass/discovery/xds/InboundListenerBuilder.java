package dev.windlass.discovery.xds;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import dev.windlass.contract.IstioNames;
import dev.windlass.contract.MeshPorts;
import dev.windlass.contract.MeshTls;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;

import java.util.Optional;

/**
 * LDS, inbound side: {@code virtualInbound} on 0.0.0.0:15006. The original_dst listener filter restores the
 * port the caller dialled; a chain per inbound port (matched by that destination_port) sends HTTP through an
 * HttpConnectionManager, or TCP through tcp_proxy, to {@code inbound|<port>||}; on HTTP ports after terminating
 * mesh mTLS when the client sends it (PERMISSIVE: plain text is served too). Other ports take the default chain to
 * InboundPassthroughCluster.
 *
 * <p>Unlike virtualOutbound it does not set {@code use_original_dst}: that would hand inbound connections to
 * the outbound {@code 0.0.0.0_<port>} listener of the same port (Istio does not set it either).
 */
final class InboundListenerBuilder {
    static final String ORIGINAL_DST_FILTER = "envoy.filters.listener.original_dst";

    private InboundListenerBuilder() {
    }

    /** Gateways have no inbound capture, so no virtualInbound. */
    static Optional<Listener> build(ProxyView view) {
        if (view.node().type() != ProxyNode.Type.SIDECAR) {
            return Optional.empty();
        }
        Listener.Builder listener = Listener.newBuilder().setName(IstioNames.VIRTUAL_INBOUND)
                .setAddress(Envoy.address("0.0.0.0", MeshPorts.INBOUND_CAPTURE))
                .setTrafficDirection(TrafficDirection.INBOUND)
                .addListenerFilters(ListenerFilter.newBuilder().setName(ORIGINAL_DST_FILTER)
                        .setTypedConfig(Any.pack(OriginalDst.getDefaultInstance())));
        view.inboundPorts().forEach((port, protocol) -> permissive(listener, port, protocol.isHttp()));
        listener.setDefaultFilterChain(Envoy.tcpProxyChain("InboundPassthroughFilterChain", IstioNames.INBOUND_PASSTHROUGH));
        return Optional.of(Envoy.inspectTlsWhereMatched(listener).build());
    }

    /**
     * An HTTP port in Istio's PERMISSIVE mode: mesh mTLS (a ClientHello offering Istio's ALPN) is terminated and
     * then served as plain text is; plain text (HTTP) and the app's own TLS (passed through as TCP) go as they
     * came. A TCP port takes whatever comes as it is: the proxy does not terminate TLS before tcp_proxy yet, so
     * clients do not send mTLS there either ({@link ClusterBuilder}).
     */
    private static void permissive(Listener.Builder listener, int port, boolean http) {
        FilterChain plain = chain(port, http);
        if (!http) {
            listener.addFilterChains(plain.toBuilder().setFilterChainMatch(match(port, "")));
            return;
        }
        listener.addFilterChains(plain.toBuilder().setName(plain.getName() + "_mtls")
                .setFilterChainMatch(match(port, "tls").addAllApplicationProtocols(MeshTls.ALPN))
                .setTransportSocket(MeshMtls.downstream()));
        listener.addFilterChains(plain.toBuilder().setFilterChainMatch(match(port, "raw_buffer")));
        String cluster = IstioNames.inboundCluster(port);
        listener.addFilterChains(Envoy.tcpProxyChain(cluster + "_tls", cluster).toBuilder()
                .setFilterChainMatch(match(port, "tls")));
    }

    private static FilterChainMatch.Builder match(int port, String transport) {
        return FilterChainMatch.newBuilder().setDestinationPort(UInt32Value.of(port)).setTransportProtocol(transport);
    }

    private static FilterChain chain(int port, boolean http) {
        String cluster = IstioNames.inboundCluster(port);
        if (!http) {
            return Envoy.tcpProxyChain(cluster, cluster);
        }
        RouteConfiguration routes = RouteConfiguration.newBuilder().setName(cluster)
                .addVirtualHosts(VirtualHost.newBuilder().setName("inbound|http|" + port).addDomains("*")
                        .addRoutes(Route.newBuilder().setName("default")
                                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                                .setRoute(RouteAction.newBuilder().setCluster(cluster)
                                        .setTimeout(com.google.protobuf.Duration.getDefaultInstance()))))
                .build();
        return Envoy.httpInlineChain(cluster, "inbound_0.0.0.0_" + port, routes);
    }
}
