package dev.windlass.discovery.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UInt32Value;
import dev.windlass.discovery.model.Protocol;
import dev.windlass.discovery.routing.DestinationPolicy.ConnectionPool;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;

/**
 * A connection pool's HTTP/2 settings on a cluster, as Istio writes them: {@code h2UpgradePolicy: UPGRADE} makes
 * the cluster of an HTTP port speak h2c upstream (explicit http2_protocol_options; TCP and TLS ports carry no HTTP,
 * and HTTP2/gRPC ports speak h2c already), and {@code maxConcurrentStreams} is the http2_protocol_options'
 * max_concurrent_streams of a cluster that speaks h2c (an HTTP/1.1 cluster has no streams to bound). Runs before
 * {@link ConnectionPools}, which keeps the protocol it finds.
 */
final class Http2Options {
    private Http2Options() {
    }

    static void apply(Cluster.Builder cluster, Protocol protocol, ConnectionPool pool) {
        if (pool == null) {
            return;
        }
        HttpProtocolOptions existing = options(cluster);
        boolean http2 = existing != null && existing.getExplicitHttpConfig().hasHttp2ProtocolOptions();
        if (!http2 && pool.h2Upgrade() && protocol == Protocol.HTTP) {
            existing = HttpProtocolOptions.newBuilder().setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig
                    .newBuilder().setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance())).build();
            http2 = true;
        }
        if (http2 && pool.maxConcurrentStreams() != null && pool.maxConcurrentStreams() > 0) {
            HttpProtocolOptions.Builder options = existing.toBuilder();
            options.getExplicitHttpConfigBuilder().getHttp2ProtocolOptionsBuilder()
                    .setMaxConcurrentStreams(UInt32Value.of(pool.maxConcurrentStreams()));
            existing = options.build();
        }
        if (existing != null) {
            cluster.putTypedExtensionProtocolOptions(ClusterBuilder.HTTP_PROTOCOL_OPTIONS, Any.pack(existing));
        }
    }

    private static HttpProtocolOptions options(Cluster.Builder cluster) {
        Any any = cluster.getTypedExtensionProtocolOptionsMap().get(ClusterBuilder.HTTP_PROTOCOL_OPTIONS);
        try {
            return any == null ? null : any.unpack(HttpProtocolOptions.class);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("own HttpProtocolOptions unreadable", e);
        }
    }
}
