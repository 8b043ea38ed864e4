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

/**
 * A DestinationRule's connection pool on a cluster, as Istio writes it: tcp.maxConnections, http.http1MaxPendingRequests
 * and http.http2MaxRequests as the DEFAULT priority's circuit-breaker thresholds (a field not set stays unlimited),
 * tcp.connectTimeout as connect_timeout, http.maxRequestsPerConnection in the upstream HttpProtocolOptions.
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
        if (pool.maxConnections() != null) {
            thresholds.setMaxConnections(UInt32Value.of(pool.maxConnections()));
        }
        if (pool.maxPendingRequests() != null) {
            thresholds.setMaxPendingRequests(UInt32Value.of(pool.maxPendingRequests()));
        }
        if (pool.maxRequests() != null) {
            thresholds.setMaxRequests(UInt32Value.of(pool.maxRequests()));
        }
        if (!thresholds.build().equals(CircuitBreakers.Thresholds.getDefaultInstance())) {
            cluster.setCircuitBreakers(CircuitBreakers.newBuilder().addThresholds(thresholds));
        }
        if (pool.maxRequestsPerConnection() != null && pool.maxRequestsPerConnection() > 0) {
            HttpProtocolOptions.Builder options = httpOptions(cluster);
            options.getCommonHttpProtocolOptionsBuilder()
                    .setMaxRequestsPerConnection(UInt32Value.of(pool.maxRequestsPerConnection()));
            cluster.putTypedExtensionProtocolOptions(ClusterBuilder.HTTP_PROTOCOL_OPTIONS, Any.pack(options.build()));
        }
        return cluster;
    }

    /** The cluster's upstream HTTP options so far (h2c for HTTP/2 ports), else explicit HTTP/1.1. */
    private static HttpProtocolOptions.Builder httpOptions(Cluster.Builder cluster) {
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
