package dev.windlass.proxy.config;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;

/**
 * A cluster's {@code circuit_breakers} (the DEFAULT priority's thresholds), {@code connect_timeout} and
 * {@code max_requests_per_connection} (from the upstream HttpProtocolOptions, or the cluster's deprecated field) as
 * {@link ClusterConfig.Limits}. A threshold other than max_connections, max_pending_requests, max_requests is
 * refused rather than ignored.
 */
final class ClusterLimits {
    private ClusterLimits() {
    }

    static ClusterConfig.Limits of(Cluster cluster) throws InvalidConfigException {
        int maxConnections = ClusterConfig.Limits.UNLIMITED;
        int maxPending = ClusterConfig.Limits.UNLIMITED;
        int maxRequests = ClusterConfig.Limits.UNLIMITED;
        for (CircuitBreakers.Thresholds t : cluster.getCircuitBreakers().getThresholdsList()) {
            if (t.getPriority() != RoutingPriority.DEFAULT) {
                continue;
            }
            String where = "cluster " + cluster.getName() + " circuit_breakers.thresholds";
            ProtoFields.only(t, where, java.util.Set.of("priority", "max_connections", "max_pending_requests",
                    "max_requests"));
            maxConnections = value(t.hasMaxConnections(), t.getMaxConnections());
            maxPending = value(t.hasMaxPendingRequests(), t.getMaxPendingRequests());
            maxRequests = value(t.hasMaxRequests(), t.getMaxRequests());
        }
        int connectTimeout = cluster.hasConnectTimeout()
                ? (int) Math.min(Integer.MAX_VALUE, cluster.getConnectTimeout().getSeconds() * 1000
                        + cluster.getConnectTimeout().getNanos() / 1_000_000)
                : ClusterConfig.Limits.DEFAULT_CONNECT_TIMEOUT_MILLIS;
        return new ClusterConfig.Limits(maxConnections, maxPending, maxRequests, perConnection(cluster),
                Math.max(1, connectTimeout));
    }

    private static int value(boolean set, UInt32Value value) {
        if (!set) {
            return ClusterConfig.Limits.UNLIMITED;
        }
        return value.getValue() < 0 ? ClusterConfig.Limits.UNLIMITED : value.getValue();
    }

    @SuppressWarnings("deprecation")
    private static int perConnection(Cluster cluster) throws InvalidConfigException {
        Any options = cluster.getTypedExtensionProtocolOptionsMap().get(ClusterTranslator.HTTP_OPTIONS_KEY);
        if (options != null) {
            try {
                HttpProtocolOptions http = options.unpack(HttpProtocolOptions.class);
                if (http.getCommonHttpProtocolOptions().hasMaxRequestsPerConnection()) {
                    return Math.max(0, http.getCommonHttpProtocolOptions().getMaxRequestsPerConnection().getValue());
                }
            } catch (InvalidProtocolBufferException e) {
                throw new InvalidConfigException("cluster " + cluster.getName() + ": bad " + ClusterTranslator.HTTP_OPTIONS_KEY, e);
            }
        }
        return cluster.hasMaxRequestsPerConnection() ? Math.max(0, cluster.getMaxRequestsPerConnection().getValue()) : 0;
    }
}
