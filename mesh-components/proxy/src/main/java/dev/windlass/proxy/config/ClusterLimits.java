package dev.windlass.proxy.config;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;

/**
 * A cluster's {@code circuit_breakers} (the DEFAULT priority's thresholds), {@code connect_timeout},
 * {@code max_requests_per_connection} and {@code idle_timeout} (from the upstream HttpProtocolOptions' common
 * options; max_requests_per_connection also from the cluster's deprecated field) and the h2c
 * {@code max_concurrent_streams} as {@link ClusterConfig.Limits}.
 * A threshold other than max_connections, max_pending_requests, max_requests, max_retries is refused rather than
 * ignored.
 */
final class ClusterLimits {
    private ClusterLimits() {
    }

    static ClusterConfig.Limits of(Cluster cluster) throws InvalidConfigException {
        int maxConnections = ClusterConfig.Limits.UNLIMITED;
        int maxPending = ClusterConfig.Limits.UNLIMITED;
        int maxRequests = ClusterConfig.Limits.UNLIMITED;
        int maxRetries = ClusterConfig.Limits.UNLIMITED;
        for (CircuitBreakers.Thresholds t : cluster.getCircuitBreakers().getThresholdsList()) {
            if (t.getPriority() != RoutingPriority.DEFAULT) {
                continue;
            }
            String where = "cluster " + cluster.getName() + " circuit_breakers.thresholds";
            ProtoFields.only(t, where, java.util.Set.of("priority", "max_connections", "max_pending_requests",
                    "max_requests", "max_retries"));
            maxConnections = value(t.hasMaxConnections(), t.getMaxConnections());
            maxPending = value(t.hasMaxPendingRequests(), t.getMaxPendingRequests());
            maxRequests = value(t.hasMaxRequests(), t.getMaxRequests());
            maxRetries = value(t.hasMaxRetries(), t.getMaxRetries());
        }
        int connectTimeout = cluster.hasConnectTimeout()
                ? (int) Math.min(Integer.MAX_VALUE, cluster.getConnectTimeout().getSeconds() * 1000
                        + cluster.getConnectTimeout().getNanos() / 1_000_000)
                : ClusterConfig.Limits.DEFAULT_CONNECT_TIMEOUT_MILLIS;
        HttpProtocolOptions http = httpOptions(cluster);
        return new ClusterConfig.Limits(maxConnections, maxPending, maxRequests, maxRetries, perConnection(cluster, http),
                Math.max(1, connectTimeout), idleTimeout(http), maxConcurrentStreams(cluster, http));
    }

    /** http2_protocol_options.max_concurrent_streams (explicit config, else the cluster's deprecated field). */
    @SuppressWarnings("deprecation")
    private static int maxConcurrentStreams(Cluster cluster, HttpProtocolOptions http) {
        io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions h2 = http != null
                && http.getExplicitHttpConfig().hasHttp2ProtocolOptions()
                ? http.getExplicitHttpConfig().getHttp2ProtocolOptions() : cluster.getHttp2ProtocolOptions();
        int streams = h2.hasMaxConcurrentStreams() ? h2.getMaxConcurrentStreams().getValue() : 0;
        // Envoy's range is 1..2^31-1; 0 or unset is its default, unlimited.
        return streams <= 0 ? ClusterConfig.Limits.UNLIMITED : streams;
    }

    private static long idleTimeout(HttpProtocolOptions http) {
        if (http == null || !http.getCommonHttpProtocolOptions().hasIdleTimeout()) {
            return ClusterConfig.Limits.DEFAULT_IDLE_TIMEOUT_MILLIS;
        }
        com.google.protobuf.Duration d = http.getCommonHttpProtocolOptions().getIdleTimeout();
        long millis = d.getSeconds() * 1000 + d.getNanos() / 1_000_000;
        // Envoy: 0 disables the idle timeout.
        return millis <= 0 ? Long.MAX_VALUE : millis;
    }

    private static int value(boolean set, UInt32Value value) {
        if (!set) {
            return ClusterConfig.Limits.UNLIMITED;
        }
        return value.getValue() < 0 ? ClusterConfig.Limits.UNLIMITED : value.getValue();
    }

    static HttpProtocolOptions httpOptions(Cluster cluster) throws InvalidConfigException {
        Any options = cluster.getTypedExtensionProtocolOptionsMap().get(ClusterTranslator.HTTP_OPTIONS_KEY);
        try {
            return options == null ? null : options.unpack(HttpProtocolOptions.class);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidConfigException("cluster " + cluster.getName() + ": bad " + ClusterTranslator.HTTP_OPTIONS_KEY, e);
        }
    }

    @SuppressWarnings("deprecation")
    private static int perConnection(Cluster cluster, HttpProtocolOptions http) {
        if (http != null && http.getCommonHttpProtocolOptions().hasMaxRequestsPerConnection()) {
            return Math.max(0, http.getCommonHttpProtocolOptions().getMaxRequestsPerConnection().getValue());
        }
        return cluster.hasMaxRequestsPerConnection() ? Math.max(0, cluster.getMaxRequestsPerConnection().getValue()) : 0;
    }
}
