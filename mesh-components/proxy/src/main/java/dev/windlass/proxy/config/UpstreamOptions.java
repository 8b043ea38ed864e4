package dev.windlass.proxy.config;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TcpKeepalive;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;

import java.util.Set;

/**
 * How the proxy treats a cluster's upstream sockets: {@code upstream_connection_options.tcp_keepalive} (null: no
 * SO_KEEPALIVE) and the upstream HttpProtocolOptions' {@code max_connection_duration} (0: none; HTTP connections
 * only, as in Envoy, where tcp_proxy ignores it). Any other upstream connection option is refused.
 */
public record UpstreamOptions(Keepalive keepalive, long maxConnectionDurationMillis) {
    public static final UpstreamOptions NONE = new UpstreamOptions(null, 0);

    /** Linux's limits for TCP_KEEPCNT and for TCP_KEEPIDLE / TCP_KEEPINTVL (seconds). */
    static final int MAX_PROBES = 127;
    static final int MAX_SECONDS = 32767;

    /** SO_KEEPALIVE with TCP_KEEPCNT, TCP_KEEPIDLE, TCP_KEEPINTVL; 0 keeps the kernel's default. */
    public record Keepalive(int probes, int timeSeconds, int intervalSeconds) {
    }

    static UpstreamOptions of(Cluster cluster, HttpProtocolOptions http) throws InvalidConfigException {
        String where = "cluster " + cluster.getName() + " upstream_connection_options";
        ProtoFields.only(cluster.getUpstreamConnectionOptions(), where, Set.of("tcp_keepalive"));
        Keepalive keepalive = null;
        if (cluster.getUpstreamConnectionOptions().hasTcpKeepalive()) {
            TcpKeepalive k = cluster.getUpstreamConnectionOptions().getTcpKeepalive();
            keepalive = new Keepalive(value(k.hasKeepaliveProbes(), k.getKeepaliveProbes(), MAX_PROBES, where + ".keepalive_probes"),
                    value(k.hasKeepaliveTime(), k.getKeepaliveTime(), MAX_SECONDS, where + ".keepalive_time"),
                    value(k.hasKeepaliveInterval(), k.getKeepaliveInterval(), MAX_SECONDS, where + ".keepalive_interval"));
        }
        long maxDuration = 0;
        if (http != null && http.getCommonHttpProtocolOptions().hasMaxConnectionDuration()) {
            com.google.protobuf.Duration d = http.getCommonHttpProtocolOptions().getMaxConnectionDuration();
            maxDuration = Math.max(0, d.getSeconds() * 1000 + d.getNanos() / 1_000_000);
        }
        if (keepalive == null && maxDuration == 0) {
            return NONE;
        }
        return new UpstreamOptions(keepalive, maxDuration);
    }

    /** A set value the kernel refuses (0, or beyond its limit) is refused here rather than fail every connect. */
    private static int value(boolean set, UInt32Value value, int max, String where) throws InvalidConfigException {
        if (!set) {
            return 0;
        }
        int v = value.getValue();
        if (v < 1 || v > max) {
            throw new InvalidConfigException(where + ": " + Integer.toUnsignedString(v) + " is not within 1.." + max);
        }
        return v;
    }
}
