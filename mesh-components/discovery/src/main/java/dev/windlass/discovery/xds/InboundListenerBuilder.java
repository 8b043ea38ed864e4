package dev.windlass.discovery.xds;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import dev.windlass.contract.IstioNames;
import dev.windlass.contract.MeshPorts;
import dev.windlass.contract.MeshTls;
import dev.windlass.discovery.security.MtlsMode;
import dev.windlass.discovery.security.PeerPolicy;
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
 * HttpConnectionManager, or TCP through tcp_proxy, to {@code inbound|<port>||}, after terminating mesh mTLS when
 * the client sends it, as the pod's PeerAuthentications say per port: PERMISSIVE serves plain text too, STRICT
 * nothing else, DISABLE plain text only. Other ports take the default chain to InboundPassthroughCluster, or to
 * BlackHoleCluster when the workload is STRICT. The pod's AuthorizationPolicies become RBAC filters on every
 * chain ({@link InboundRbac}).
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
        PeerPolicy peers = view.peerPolicy();
        view.inboundPorts().forEach((port, protocol) -> {
            MtlsMode mode = peers.mode(port);
            if (mode == MtlsMode.DISABLE) {
                listener.addFilterChains(chain(port, protocol.isHttp()).toBuilder().setFilterChainMatch(match(port, "")));
            } else {
                mtls(listener, port, protocol.isHttp(), mode);
            }
        });
        listener.setDefaultFilterChain(peers.mode() == MtlsMode.STRICT
                ? Envoy.tcpProxyChain("InboundBlackHoleFilterChain", IstioNames.BLACKHOLE)
                : Envoy.tcpProxyChain("InboundPassthroughFilterChain", IstioNames.INBOUND_PASSTHROUGH));
        InboundRbac rbac = view.inboundRbac();
        for (int i = 0; i < listener.getFilterChainsCount(); i++) {
            listener.setFilterChains(i, rbac.apply(listener.getFilterChains(i)));
        }
        listener.setDefaultFilterChain(rbac.apply(listener.getDefaultFilterChain()));
        return Optional.of(Envoy.inspectTlsWhereMatched(listener).build());
    }

    /**
     * A port that takes mesh mTLS (a ClientHello offering Istio's ALPN): terminated, then served as plain text is
     * (HTTP through the HttpConnectionManager, TCP relayed decrypted). PERMISSIVE also serves what else comes as
     * it came: on an HTTP port plain text (HTTP) and the app's own TLS (passed through as TCP), on a TCP port
     * anything. STRICT closes everything else (a chain for the rest of the port, to BlackHoleCluster: without it
     * the default chain would pass it through).
     */
    private static void mtls(Listener.Builder listener, int port, boolean http, MtlsMode mode) {
        FilterChain plain = chain(port, http);
        listener.addFilterChains(plain.toBuilder().setName(plain.getName() + "_mtls")
                .setFilterChainMatch(match(port, "tls").addAllApplicationProtocols(MeshTls.ALPN))
                .setTransportSocket(MeshMtls.downstream()));
        if (mode == MtlsMode.STRICT) {
            listener.addFilterChains(refused(port));
        } else if (!http) {
            listener.addFilterChains(plain.toBuilder().setFilterChainMatch(match(port, "")));
        } else {
            String cluster = IstioNames.inboundCluster(port);
            listener.addFilterChains(plain.toBuilder().setFilterChainMatch(match(port, "raw_buffer")));
            listener.addFilterChains(Envoy.tcpProxyChain(cluster + "_tls", cluster).toBuilder()
                    .setFilterChainMatch(match(port, "tls")));
        }
    }

    /** Everything on the port that no other chain of it takes, closed. */
    private static FilterChain refused(int port) {
        return Envoy.tcpProxyChain(IstioNames.inboundCluster(port) + "_refused", IstioNames.BLACKHOLE).toBuilder()
                .setFilterChainMatch(match(port, "")).build();
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
                                .setRoute(HttpRoutes.timeout(RouteAction.newBuilder().setCluster(cluster), HttpRoutes.NO_TIMEOUT))))
                .build();
        return Envoy.httpInlineChain(cluster, "inbound_0.0.0.0_" + port, routes);
    }
}
