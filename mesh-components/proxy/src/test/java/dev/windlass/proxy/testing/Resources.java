package dev.windlass.proxy.testing;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;

import java.util.List;
import java.util.function.Consumer;

/** Envoy v3 resources with Istio's names, as the discovery server sends them, for tests. */
public final class Resources {
    private Resources() {
    }

    public static Address address(String ip, int port) {
        return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(ip).setPortValue(port)).build();
    }

    public static ConfigSource ads() {
        return ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance()).build();
    }

    public static Filter hcm(String routeName) {
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder().setStatPrefix("outbound_0.0.0.0_" + routeName)
                .setRds(Rds.newBuilder().setRouteConfigName(routeName).setConfigSource(ads())).build();
        return Filter.newBuilder().setName("envoy.filters.network.http_connection_manager")
                .setTypedConfig(Any.pack(hcm)).build();
    }

    public static Filter hcmInline(RouteConfiguration routes) {
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder().setStatPrefix("inbound").setRouteConfig(routes).build();
        return Filter.newBuilder().setName("envoy.filters.network.http_connection_manager")
                .setTypedConfig(Any.pack(hcm)).build();
    }

    public static Filter tcpProxy(String cluster) {
        return Filter.newBuilder().setName("envoy.filters.network.tcp_proxy")
                .setTypedConfig(Any.pack(TcpProxy.newBuilder().setStatPrefix(cluster).setCluster(cluster).build())).build();
    }

    /** {@code 0.0.0.0_<port>} with an HCM on RDS route {@code "<port>"}, not bound (sidecar style). */
    public static Listener httpListener(int port) {
        return Listener.newBuilder().setName("0.0.0.0_" + port).setAddress(address("0.0.0.0", port))
                .setBindToPort(BoolValue.of(false))
                .addFilterChains(FilterChain.newBuilder().addFilters(hcm(String.valueOf(port)))).build();
    }

    /** A gateway listener: bound by the proxy itself. */
    public static Listener gatewayListener(String ip, int port, String routeName) {
        return Listener.newBuilder().setName("0.0.0.0_" + port).setAddress(address(ip, port))
                .addFilterChains(FilterChain.newBuilder().addFilters(hcm(routeName))).build();
    }

    /**
     * {@code listener} with upgrade_configs websocket on each of its HttpConnectionManagers, as Istio writes them
     * on every sidecar and gateway listener.
     */
    public static Listener withWebSocket(Listener listener) throws InvalidProtocolBufferException {
        return withConnectionManager(listener, hcm -> hcm.addUpgradeConfigs(
                HttpConnectionManager.UpgradeConfig.newBuilder().setUpgradeType("websocket")));
    }

    /** {@code listener} with {@code change} made to each of its HttpConnectionManagers. */
    public static Listener withConnectionManager(Listener listener, Consumer<HttpConnectionManager.Builder> change)
            throws InvalidProtocolBufferException {
        Listener.Builder builder = listener.toBuilder();
        for (FilterChain.Builder chain : builder.getFilterChainsBuilderList()) {
            for (Filter.Builder filter : chain.getFiltersBuilderList()) {
                if (filter.getTypedConfig().is(HttpConnectionManager.class)) {
                    HttpConnectionManager.Builder hcm = filter.getTypedConfig().unpack(HttpConnectionManager.class).toBuilder();
                    change.accept(hcm);
                    filter.setTypedConfig(Any.pack(hcm.build()));
                }
            }
        }
        return builder.build();
    }

    public static Listener tcpListener(int port, String cluster) {
        return Listener.newBuilder().setName("0.0.0.0_" + port).setAddress(address("0.0.0.0", port))
                .setBindToPort(BoolValue.of(false))
                .addFilterChains(FilterChain.newBuilder().addFilters(tcpProxy(cluster))).build();
    }

    /** virtualOutbound: a passthrough chain for anything not matched elsewhere. */
    public static Listener virtualOutbound(int port) {
        return Listener.newBuilder().setName("virtualOutbound").setAddress(address("0.0.0.0", port))
                .setUseOriginalDst(BoolValue.of(true))
                .addFilterChains(FilterChain.newBuilder().setName("PassthroughFilterChain")
                        .addFilters(tcpProxy("PassthroughCluster"))).build();
    }

    /** virtualInbound: an HTTP chain per port to {@code inbound|<port>||}, TCP passthrough for the rest. */
    public static Listener virtualInbound(int port, List<Integer> httpPorts) {
        Listener.Builder listener = Listener.newBuilder().setName("virtualInbound").setAddress(address("0.0.0.0", port))
                .setUseOriginalDst(BoolValue.of(true));
        for (int httpPort : httpPorts) {
            String cluster = "inbound|" + httpPort + "||";
            RouteConfiguration routes = RouteConfiguration.newBuilder().setName("inbound|http|" + httpPort)
                    .addVirtualHosts(virtualHost("inbound|http|" + httpPort, List.of("*"), cluster)).build();
            listener.addFilterChains(FilterChain.newBuilder().setName("0.0.0.0_" + httpPort)
                    .setFilterChainMatch(FilterChainMatch.newBuilder().setDestinationPort(UInt32Value.of(httpPort)))
                    .addFilters(hcmInline(routes)));
        }
        listener.setDefaultFilterChain(FilterChain.newBuilder().setName("InboundPassthroughFilterChain")
                .addFilters(tcpProxy("InboundPassthroughCluster")));
        return listener.build();
    }

    public static VirtualHost virtualHost(String name, List<String> domains, String cluster) {
        return VirtualHost.newBuilder().setName(name).addAllDomains(domains)
                .addRoutes(Route.newBuilder().setName("default").setMatch(RouteMatch.newBuilder().setPrefix("/"))
                        .setRoute(RouteAction.newBuilder().setCluster(cluster))).build();
    }

    public static RouteConfiguration routes(String name, VirtualHost... hosts) {
        return RouteConfiguration.newBuilder().setName(name).addAllVirtualHosts(List.of(hosts)).build();
    }

    public static Cluster edsCluster(String name) {
        return Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.EDS)
                .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ads()).setServiceName(name))
                .build();
    }

    public static Cluster h2Cluster(String name) {
        return http2(edsCluster(name));
    }

    /** {@code cluster} speaking h2c to its endpoints (explicit http2_protocol_options). */
    public static Cluster http2(Cluster cluster) {
        HttpProtocolOptions options = HttpProtocolOptions.newBuilder().setExplicitHttpConfig(
                HttpProtocolOptions.ExplicitHttpConfig.newBuilder().setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
                .build();
        return cluster.toBuilder()
                .putTypedExtensionProtocolOptions("envoy.extensions.upstreams.http.v3.HttpProtocolOptions", Any.pack(options))
                .build();
    }

    public static Cluster originalDst(String name) {
        return Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.ORIGINAL_DST)
                .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED).build();
    }

    public static Cluster blackHole() {
        return Cluster.newBuilder().setName("BlackHoleCluster").setType(Cluster.DiscoveryType.STATIC).build();
    }

    public static Cluster inboundCluster(int port) {
        return originalDst("inbound|" + port + "||");
    }

    /** Endpoints as {@code ip:port} strings, with Istio's workload metadata. */
    public static ClusterLoadAssignment endpoints(String cluster, String workload, String... addresses) {
        LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
        for (String address : addresses) {
            int colon = address.lastIndexOf(':');
            Struct istio = Struct.newBuilder()
                    .putFields("workload", Value.newBuilder().setStringValue(workload).build())
                    .putFields("namespace", Value.newBuilder().setStringValue("test").build()).build();
            locality.addLbEndpoints(LbEndpoint.newBuilder()
                    .setEndpoint(Endpoint.newBuilder().setAddress(address(address.substring(0, colon),
                            Integer.parseInt(address.substring(colon + 1)))))
                    .setMetadata(Metadata.newBuilder().putFilterMetadata("istio", istio)));
        }
        return ClusterLoadAssignment.newBuilder().setClusterName(cluster).addEndpoints(locality).build();
    }

    /** {@code cluster} with Envoy's common HTTP options {@code common}, speaking HTTP/1.1 upstream. */
    public static Cluster withCommonHttpOptions(Cluster.Builder cluster,
                                                io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.Builder common) {
        var options = io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.newBuilder()
                .setCommonHttpProtocolOptions(common)
                .setExplicitHttpConfig(io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                        .ExplicitHttpConfig.newBuilder().setHttpProtocolOptions(
                                io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions.getDefaultInstance()))
                .build();
        return cluster.putTypedExtensionProtocolOptions("envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                Any.pack(options)).build();
    }
}
