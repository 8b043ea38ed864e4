package dev.windlass.proxy.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.windlass.contract.XdsTypeUrls;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;

/** The four xDS resource types the proxy subscribes to over ADS, in the order Envoy asks for them. */
public enum ResourceType {
    CDS(XdsTypeUrls.CDS, Cluster.class, true),
    EDS(XdsTypeUrls.EDS, ClusterLoadAssignment.class, false),
    LDS(XdsTypeUrls.LDS, Listener.class, true),
    RDS(XdsTypeUrls.RDS, RouteConfiguration.class, false);

    private final String typeUrl;
    private final Class<? extends Message> messageType;
    private final boolean wildcard;

    ResourceType(String typeUrl, Class<? extends Message> messageType, boolean wildcard) {
        this.typeUrl = typeUrl;
        this.messageType = messageType;
        this.wildcard = wildcard;
    }

    public String typeUrl() {
        return typeUrl;
    }

    /** Wildcard types (CDS, LDS) carry the full set in every response; the others only what was asked for. */
    public boolean wildcard() {
        return wildcard;
    }

    public static ResourceType of(String typeUrl) {
        for (ResourceType type : values()) {
            if (type.typeUrl.equals(typeUrl)) {
                return type;
            }
        }
        return null;
    }

    public Message unpack(Any any) throws InvalidProtocolBufferException {
        return any.unpack(messageType);
    }

    /** The resource's name: ClusterLoadAssignment names itself cluster_name, the others name. */
    public static String nameOf(Message message) {
        return switch (message) {
            case Cluster cluster -> cluster.getName();
            case Listener listener -> listener.getName();
            case RouteConfiguration route -> route.getName();
            case ClusterLoadAssignment assignment -> assignment.getClusterName();
            default -> throw new IllegalArgumentException(message.getClass().getName());
        };
    }
}
