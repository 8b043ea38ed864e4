package dev.windlass.discovery.xds;

import com.google.protobuf.Any;
import dev.windlass.contract.IstioNames;
import com.google.protobuf.Duration;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;

import io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small builders for the Envoy messages every translation step uses: addresses, ADS sources, network filters. */
final class Envoy {
    static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";
    static final String HTTP_CONNECTION_MANAGER = "envoy.filters.network.http_connection_manager";
    static final String ROUTER = "envoy.filters.http.router";
    static final String TLS_INSPECTOR = "envoy.filters.listener.tls_inspector";
    /** Istio's default connect timeout. */
    static final Duration CONNECT_TIMEOUT = Duration.newBuilder().setSeconds(10).build();

    private Envoy() {
    }

    static Address address(String ip, int port) {
        return Address.newBuilder()
                .setSocketAddress(SocketAddress.newBuilder().setAddress(ip).setPortValue(port)).build();
    }

    /** "Over the same ADS stream": how EDS clusters and RDS route configs say where their resources come from. */
    static ConfigSource ads() {
        return ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())
                .setResourceApiVersion(ApiVersion.V3).build();
    }

    private static final ListenerFilter TLS_INSPECTOR_FILTER = ListenerFilter.newBuilder().setName(TLS_INSPECTOR)
            .setTypedConfig(Any.pack(TlsInspector.getDefaultInstance())).build();

    /**
     * Adds the tls_inspector when a chain of {@code listener} matches on SNI or on the transport protocol, as Istio
     * does for sidecars and gateways: Envoy learns neither without it (it no longer injects one itself), so such a
     * chain would never match.
     */
    static Listener.Builder inspectTlsWhereMatched(Listener.Builder listener) {
        if (listener.getFilterChainsList().stream().map(FilterChain::getFilterChainMatch)
                .anyMatch(m -> m.getServerNamesCount() > 0 || !m.getTransportProtocol().isEmpty())) {
            listener.addListenerFilters(TLS_INSPECTOR_FILTER);
        }
        return listener;
    }

    static FilterChain tcpProxyChain(String chainName, String cluster) {
        TcpProxy proxy = TcpProxy.newBuilder().setStatPrefix(cluster).setCluster(cluster).build();
        return FilterChain.newBuilder().setName(chainName)
                .addFilters(Filter.newBuilder().setName(TCP_PROXY).setTypedConfig(Any.pack(proxy))).build();
    }

    /**
     * An HTTP filter chain whose routes come by RDS, under the route config name {@code routeName}. Routes may
     * inject faults and answer CORS, so the fault and CORS filters come before the router, in Istio's order.
     */
    static FilterChain httpRdsChain(String chainName, String statPrefix, String routeName) {
        Rds rds = Rds.newBuilder().setConfigSource(ads()).setRouteConfigName(routeName).build();
        HttpConnectionManager.Builder hcm = httpConnectionManager(statPrefix).setRds(rds);
        List<HttpFilter> filters = new ArrayList<>(hcm.getHttpFiltersList());
        filters.add(0, CORS);
        filters.add(0, FAULT);
        return httpChain(chainName, hcm.clearHttpFilters().addAllHttpFilters(filters));
    }

    private static final HttpFilter FAULT = HttpFilter.newBuilder().setName(RoutePolicies.FAULT_FILTER)
            .setTypedConfig(Any.pack(HTTPFault.getDefaultInstance())).build();
    private static final HttpFilter CORS = HttpFilter.newBuilder().setName(RoutePolicies.CORS_FILTER)
            .setTypedConfig(Any.pack(Cors.getDefaultInstance())).build();
    private static final HttpFilter ROUTER_FILTER = HttpFilter.newBuilder().setName(ROUTER)
            .setTypedConfig(Any.pack(Router.getDefaultInstance())).build();

    /** An HTTP filter chain with its routes inline (inbound: one route to the local app). */
    static FilterChain httpInlineChain(String chainName, String statPrefix, RouteConfiguration routes) {
        return httpChain(chainName, httpConnectionManager(statPrefix).setRouteConfig(routes));
    }

    /** As Istio: WebSocket upgrades are allowed on every HTTP connection manager (sidecars and gateways). */
    private static final HttpConnectionManager.UpgradeConfig WEBSOCKET = HttpConnectionManager.UpgradeConfig.newBuilder()
            .setUpgradeType(IstioNames.WEBSOCKET_UPGRADE).build();

    private static HttpConnectionManager.Builder httpConnectionManager(String statPrefix) {
        // AUTO: HTTP/1.1, or h2c with prior knowledge, decided per connection (gRPC clients speak h2c).
        return HttpConnectionManager.newBuilder().setStatPrefix(statPrefix)
                .setCodecType(HttpConnectionManager.CodecType.AUTO)
                .addUpgradeConfigs(WEBSOCKET)
                .addHttpFilters(ROUTER_FILTER);
    }

    private static FilterChain httpChain(String chainName, HttpConnectionManager.Builder hcm) {
        return FilterChain.newBuilder().setName(chainName)
                .addFilters(Filter.newBuilder().setName(HTTP_CONNECTION_MANAGER).setTypedConfig(Any.pack(hcm.build())))
                .build();
    }

    /** {@code filter_metadata["istio"]}: where Istio keeps what its telemetry reads, and so do we. */
    static Metadata istioMetadata(Map<String, Value> fields) {
        return Metadata.newBuilder().putFilterMetadata("istio", Struct.newBuilder().putAllFields(fields).build()).build();
    }

    static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }
}
