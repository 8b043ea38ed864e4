package dev.windlass.discovery.xds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;

import java.io.UncheckedIOException;

/**
 * xDS resources as JSON, in Envoy's config-dump spelling (proto field names, {@code @type} for Any). Every
 * message type packed in an Any anywhere in the translation must be registered here, or printing fails.
 */
public final class XdsJson {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeRegistry TYPES = TypeRegistry.newBuilder()
            .add(Cluster.getDescriptor()).add(ClusterLoadAssignment.getDescriptor())
            .add(Listener.getDescriptor()).add(RouteConfiguration.getDescriptor())
            .add(HttpConnectionManager.getDescriptor()).add(TcpProxy.getDescriptor()).add(Router.getDescriptor())
            .add(HttpProtocolOptions.getDescriptor()).add(OriginalDst.getDescriptor())
            .add(HTTPFault.getDescriptor()).add(Cors.getDescriptor()).add(CorsPolicy.getDescriptor())
            .add(PreviousHostsPredicate.getDescriptor())
            .add(DownstreamTlsContext.getDescriptor()).add(UpstreamTlsContext.getDescriptor()).add(TlsInspector.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer.getDescriptor())
            .build();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().usingTypeRegistry(TYPES)
            .preservingProtoFieldNames().omittingInsignificantWhitespace();

    private XdsJson() {
    }

    public static JsonNode toJson(Message message) {
        try {
            return MAPPER.readTree(PRINTER.print(message));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + message.getDescriptorForType().getFullName(), e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code {"clusters": [...], "endpoints": [...], "listeners": [...], "routes": [...]}}, each sorted by name. */
    public static ObjectNode toJson(ProxyResources resources) {
        ObjectNode root = MAPPER.createObjectNode();
        for (XdsType type : XdsType.values()) {
            ArrayNode array = root.putArray(label(type));
            resources.of(type).values().forEach(m -> array.add(toJson(m)));
        }
        return root;
    }

    /** How /debug/syncz and config_dump name a type: "clusters", "endpoints", "listeners", "routes". */
    public static String label(XdsType type) {
        return switch (type) {
            case CDS -> "clusters";
            case EDS -> "endpoints";
            case LDS -> "listeners";
            case RDS -> "routes";
        };
    }

    public static String pretty(JsonNode node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
