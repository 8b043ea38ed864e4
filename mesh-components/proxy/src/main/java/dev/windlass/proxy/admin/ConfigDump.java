package dev.windlass.proxy.admin;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.windlass.proxy.config.ConfigSnapshot;
import dev.windlass.proxy.xds.ResourceType;
import io.envoyproxy.envoy.admin.v3.BootstrapConfigDump;
import io.envoyproxy.envoy.admin.v3.ClustersConfigDump;
import io.envoyproxy.envoy.admin.v3.EndpointsConfigDump;
import io.envoyproxy.envoy.admin.v3.ListenersConfigDump;
import io.envoyproxy.envoy.admin.v3.RoutesConfigDump;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;

import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /config_dump}: the accepted listeners, routes, clusters and endpoints as Envoy's admin.v3 ConfigDump,
 * printed as JSON (Envoy's snake_case field names) with a type registry for the typed configs we know. A resource carrying a type we do not know
 * is dumped without its typed configs rather than failing the whole dump.
 */
final class ConfigDump {
    private static final JsonFormat.TypeRegistry TYPES = JsonFormat.TypeRegistry.newBuilder()
            .add(ListenersConfigDump.getDescriptor()).add(ClustersConfigDump.getDescriptor())
            .add(RoutesConfigDump.getDescriptor()).add(EndpointsConfigDump.getDescriptor())
            .add(Listener.getDescriptor()).add(Cluster.getDescriptor()).add(RouteConfiguration.getDescriptor())
            .add(ClusterLoadAssignment.getDescriptor()).add(HttpConnectionManager.getDescriptor())
            .add(TcpProxy.getDescriptor()).add(HttpProtocolOptions.getDescriptor()).add(Router.getDescriptor())
            .add(FileAccessLog.getDescriptor()).add(StdoutAccessLog.getDescriptor()).add(OriginalDst.getDescriptor())
            .add(HTTPFault.getDescriptor()).add(Cors.getDescriptor()).add(CorsPolicy.getDescriptor())
            .add(PreviousHostsPredicate.getDescriptor()).add(BootstrapConfigDump.getDescriptor())
            .add(DownstreamTlsContext.getDescriptor()).add(TlsInspector.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication.getDescriptor())
            .build();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().usingTypeRegistry(TYPES)
            .preservingProtoFieldNames();

    private ConfigDump() {
    }

    /** The bootstrap first, as Envoy's dump has it; then listeners, routes, clusters and endpoints. */
    static String json(ConfigSnapshot snapshot, Bootstrap bootstrap) {
        ListenersConfigDump.Builder listeners = ListenersConfigDump.newBuilder()
                .setVersionInfo(snapshot.versions().getOrDefault(ResourceType.LDS.typeUrl(), ""));
        resources(snapshot, ResourceType.LDS).forEach((name, resource) -> listeners.addDynamicListeners(
                ListenersConfigDump.DynamicListener.newBuilder().setName(name).setActiveState(
                        ListenersConfigDump.DynamicListenerState.newBuilder().setVersionInfo(listeners.getVersionInfo())
                                .setListener(pack(resource)))));
        ClustersConfigDump.Builder clusters = ClustersConfigDump.newBuilder()
                .setVersionInfo(snapshot.versions().getOrDefault(ResourceType.CDS.typeUrl(), ""));
        resources(snapshot, ResourceType.CDS).forEach((name, resource) -> clusters.addDynamicActiveClusters(
                ClustersConfigDump.DynamicCluster.newBuilder().setVersionInfo(clusters.getVersionInfo())
                        .setCluster(pack(resource))));
        RoutesConfigDump.Builder routes = RoutesConfigDump.newBuilder();
        String routeVersion = snapshot.versions().getOrDefault(ResourceType.RDS.typeUrl(), "");
        resources(snapshot, ResourceType.RDS).forEach((name, resource) -> routes.addDynamicRouteConfigs(
                RoutesConfigDump.DynamicRouteConfig.newBuilder().setVersionInfo(routeVersion).setRouteConfig(pack(resource))));
        EndpointsConfigDump.Builder endpoints = EndpointsConfigDump.newBuilder();
        String endpointVersion = snapshot.versions().getOrDefault(ResourceType.EDS.typeUrl(), "");
        resources(snapshot, ResourceType.EDS).forEach((name, resource) -> endpoints.addDynamicEndpointConfigs(
                EndpointsConfigDump.DynamicEndpointConfig.newBuilder().setVersionInfo(endpointVersion)
                        .setEndpointConfig(pack(resource))));
        io.envoyproxy.envoy.admin.v3.ConfigDump.Builder dump = io.envoyproxy.envoy.admin.v3.ConfigDump.newBuilder()
                .addConfigs(Any.pack(BootstrapConfigDump.newBuilder().setBootstrap(bootstrap).build()));
        dump.addConfigs(Any.pack(listeners.build())).addConfigs(Any.pack(routes.build()))
                .addConfigs(Any.pack(clusters.build())).addConfigs(Any.pack(endpoints.build()));
        return print(dump.build());
    }

    private static Map<String, Message> resources(ConfigSnapshot snapshot, ResourceType type) {
        return new TreeMap<>(snapshot.raw().getOrDefault(type.typeUrl(), Map.of()));
    }

    /** Packs a resource, first checking it prints; if some typed config is unknown, packs it without them. */
    private static Any pack(Message resource) {
        try {
            PRINTER.print(resource);
            return Any.pack(resource);
        } catch (InvalidProtocolBufferException e) {
            return Any.pack(TypedConfigs.strip(resource));
        }
    }

    private static String print(io.envoyproxy.envoy.admin.v3.ConfigDump dump) {
        try {
            return PRINTER.print(dump) + "\n";
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("config dump: " + e.getMessage(), e);
        }
    }
}
