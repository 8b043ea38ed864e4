package dev.windlass.proxy.net;

import dev.windlass.proxy.ProxyOptions;
import dev.windlass.proxy.config.ClusterConfig;
import dev.windlass.proxy.config.ConfigSnapshot;
import dev.windlass.proxy.config.LoadBalancer;
import dev.windlass.proxy.config.OutlierDetector;
import dev.windlass.proxy.config.UpstreamEndpoint;

import java.net.InetSocketAddress;

/**
 * The endpoint one connection or request goes to. ORIGINAL_DST clusters (PassthroughCluster) go where the
 * connection was going; on the inbound side that is the app on {@code 127.0.0.1:<port>}, from 127.0.0.6. Call
 * {@link #release()} when the request ends, for least-request accounting.
 */
public record UpstreamTarget(ClusterConfig cluster, InetSocketAddress address, InetSocketAddress source,
                             UpstreamEndpoint endpoint, LoadBalancer balancer, int index) {

    /** The target for {@code clusterName}, or null when the cluster is unknown or has no usable endpoint. */
    public static UpstreamTarget pick(ConfigSnapshot snapshot, String clusterName, Flow flow, ProxyOptions options) {
        return pick(snapshot, clusterName, flow, options, false, 0);
    }

    /** As above; with {@code hashed}, a ring-hash cluster places the request by {@code hash}. */
    public static UpstreamTarget pick(ConfigSnapshot snapshot, String clusterName, Flow flow, ProxyOptions options,
                                      boolean hashed, long hash) {
        ClusterConfig cluster = snapshot.cluster(clusterName);
        if (cluster == null) {
            return null;
        }
        InetSocketAddress source = source(cluster, flow, options);
        if (cluster.type() == ClusterConfig.Type.ORIGINAL_DST) {
            InetSocketAddress address = originalDestination(flow, options);
            return address == null ? null : new UpstreamTarget(cluster, address, source, null, null, -1);
        }
        LoadBalancer balancer = snapshot.balancer(clusterName);
        int index = hashed ? balancer.pick(hash) : balancer.pick();
        if (index < 0) {
            // An inbound cluster with no endpoints listed still means "the app on this port".
            if (flow.direction() == Direction.INBOUND && clusterName.startsWith("inbound|")) {
                InetSocketAddress address = originalDestination(flow, options);
                return address == null ? null : new UpstreamTarget(cluster, address, source, null, null, -1);
            }
            return null;
        }
        UpstreamEndpoint endpoint = balancer.endpoint(index);
        return new UpstreamTarget(cluster, address(endpoint), source, endpoint, balancer, index);
    }

    private static InetSocketAddress originalDestination(Flow flow, ProxyOptions options) {
        if (flow.destination() == null) {
            return null;
        }
        if (flow.direction() == Direction.INBOUND) {
            return new InetSocketAddress(options.inboundTarget(), flow.destination().getPort());
        }
        return flow.destination();
    }

    private static InetSocketAddress source(ClusterConfig cluster, Flow flow, ProxyOptions options) {
        if (cluster.sourceAddress() != null) {
            return new InetSocketAddress(cluster.sourceAddress(), 0);
        }
        return flow.direction() == Direction.INBOUND ? new InetSocketAddress(options.inboundSource(), 0) : null;
    }

    private static InetSocketAddress address(UpstreamEndpoint endpoint) {
        return endpoint.socketAddress();
    }

    /** The TLS its connection originates (per endpoint: auto mTLS), or null for plain text. */
    public dev.windlass.proxy.tls.ClientTls tls() {
        return cluster.transportSockets().forEndpoint(endpoint);
    }

    /** The attempt's upstream answered with {@code status} (for outlier detection). */
    public void responded(int status) {
        if (balancer != null) {
            balancer.response(index, status);
        }
    }

    /** The attempt's connection was made. */
    public void connected() {
        if (balancer != null) {
            balancer.connected(index);
        }
    }

    /** A TCP proxy connection was made: its whole outcome. */
    public void connectedFinal() {
        if (balancer != null) {
            balancer.connectedFinal(index);
        }
    }

    /** The attempt failed in the proxy: connect failure, reset or timeout. */
    public void failedLocally(OutlierDetector.LocalOrigin what) {
        if (balancer != null) {
            balancer.localOriginFailure(index, what);
        }
    }

    public void release() {
        if (balancer != null) {
            balancer.release(index);
        }
    }
}
