package dev.windlass.discovery;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.windlass.discovery.xds.XdsType;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;

import java.util.List;

/** Reading DiscoveryResponses in tests: resource names, endpoint addresses, one listener. */
public final class Responses {
    private Responses() {
    }

    public static List<String> names(DiscoveryResponse response) {
        XdsType type = XdsType.of(response.getTypeUrl()).orElseThrow();
        return response.getResourcesList().stream().map(any -> switch (type) {
            case CDS -> unpack(any, Cluster.class).getName();
            case EDS -> unpack(any, ClusterLoadAssignment.class).getClusterName();
            case LDS -> unpack(any, Listener.class).getName();
            case RDS -> unpack(any, RouteConfiguration.class).getName();
        }).toList();
    }

    /** The EDS clusters of a CDS response: what Envoy then subscribes to. */
    public static List<String> edsClusters(DiscoveryResponse cds) {
        return cds.getResourcesList().stream().map(a -> unpack(a, Cluster.class))
                .filter(c -> c.getType() == Cluster.DiscoveryType.EDS).map(Cluster::getName).toList();
    }

    /** {@code ip:port} of every endpoint of {@code cluster} (of all clusters when null), sorted. */
    public static List<String> endpoints(DiscoveryResponse eds, String cluster) {
        return eds.getResourcesList().stream().map(a -> unpack(a, ClusterLoadAssignment.class))
                .filter(c -> cluster == null || c.getClusterName().equals(cluster))
                .flatMap(c -> c.getEndpointsList().stream()).flatMap(l -> l.getLbEndpointsList().stream())
                .map(e -> e.getEndpoint().getAddress().getSocketAddress())
                .map(s -> s.getAddress() + ":" + s.getPortValue()).sorted().toList();
    }

    public static Listener listener(DiscoveryResponse lds, String name) {
        return lds.getResourcesList().stream().map(a -> unpack(a, Listener.class))
                .filter(l -> l.getName().equals(name)).findFirst().orElseThrow();
    }

    public static <T extends Message> T unpack(Any any, Class<T> type) {
        try {
            return any.unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
