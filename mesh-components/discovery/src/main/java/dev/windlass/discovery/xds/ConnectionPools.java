package dev.windlass.discovery.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UInt32Value;
import dev.windlass.discovery.routing.DestinationPolicy.ConnectionPool;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;

import java.util.function.Consumer;

/**
 * A DestinationRule's connection pool on a cluster, as Istio writes it: tcp.maxConnections,
 * http.http1MaxPendingRequests, http.http2MaxRequests and http.maxRetries as the DEFAULT priority's circuit-breaker
 * thresholds, tcp.connectTimeout as connect_timeout, http.maxRequestsPerConnection and http.idleTimeout in the
 * upstream HttpProtocolOptions' common options, as is tcp.maxConnectionDuration (max_connection_duration, which
 * Envoy applies to HTTP connections only); tcp.tcpKeepalive as {@link UpstreamKeepalive}. As in Istio, a count of 0
 * means "not set" (unlimited).
 */
final class ConnectionPools {
    private ConnectionPools() {
    }

    static Cluster.Builder apply(Cluster.Builder cluster, ConnectionPool pool) {
        if (pool == null) {
            return cluster;
        }
        if (pool.connectTimeout() != null) {
            cluster.setConnectTimeout(RoutePolicies.duration(pool.connectTimeout()));
        }
        CircuitBreakers.Thresholds.Builder thresholds = CircuitBreakers.Thresholds.newBuilder()
                .setPriority(RoutingPriority.DEFAULT);
        set(pool.maxConnections(), v -> thresholds.setMaxConnections(v));
        set(pool.maxPendingRequests(), v -> thresholds.setMaxPendingRequests(v));
        set(pool.maxRequests(), v -> thresholds.setMaxRequests(v));
        set(pool.maxRetries(), v -> thresholds.setMaxRetries(v));
        if (!thresholds.build().equals(CircuitBreakers.Thresholds.getDefaultInstance())) {
            cluster.setCircuitBreakers(CircuitBreakers.newBuilder().addThresholds(thresholds));
        }
        io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.Builder common =
                io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.newBuilder();
        set(pool.maxRequestsPerConnection(), common::setMaxRequestsPerConnection);
        if (pool.idleTimeout() != null) {
            common.setIdleTimeout(RoutePolicies.duration(pool.idleTimeout()));
        }
        if (pool.maxConnectionDuration() != null) {
            common.setMaxConnectionDuration(RoutePolicies.duration(pool.maxConnectionDuration()));
        }
        UpstreamKeepalive.apply(cluster, pool.tcpKeepalive());
        if (!common.build().equals(io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.getDefaultInstance())) {
            HttpProtocolOptions.Builder options = httpOptions(cluster);
            options.getCommonHttpProtocolOptionsBuilder().mergeFrom(common.build());
            cluster.putTypedExtensionProtocolOptions(ClusterBuilder.HTTP_PROTOCOL_OPTIONS, Any.pack(options.build()));
        }
        return cluster;
    }

    private static void set(Integer value, Consumer<UInt32Value> setter) {
        if (value != null && value > 0) {
            setter.accept(UInt32Value.of(value));
        }
    }

    /** The cluster's upstream HTTP options so far (h2c for HTTP/2 ports), else explicit HTTP/1.1. */
    static HttpProtocolOptions.Builder httpOptions(Cluster.Builder cluster) {
        Any existing = cluster.getTypedExtensionProtocolOptionsMap().get(ClusterBuilder.HTTP_PROTOCOL_OPTIONS);
        if (existing != null) {
            try {
                return existing.unpack(HttpProtocolOptions.class).toBuilder();
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("own HttpProtocolOptions unreadable", e);
            }
        }
        return HttpProtocolOptions.newBuilder().setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                .setHttpProtocolOptions(Http1ProtocolOptions.getDefaultInstance()));
    }
}
