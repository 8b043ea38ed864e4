package dev.windlass.discovery.xds;

import com.google.protobuf.UInt32Value;
import dev.windlass.discovery.routing.DestinationPolicy.TcpKeepalive;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;

/**
 * {@code tcp.tcpKeepalive} as the cluster's {@code upstream_connection_options.tcp_keepalive}, as Istio writes it:
 * present (SO_KEEPALIVE) even when empty; probes when above 0; time and interval in whole seconds, truncated.
 */
final class UpstreamKeepalive {
    private UpstreamKeepalive() {
    }

    static void apply(Cluster.Builder cluster, TcpKeepalive keepalive) {
        if (keepalive == null) {
            return;
        }
        var out = cluster.getUpstreamConnectionOptionsBuilder().getTcpKeepaliveBuilder();
        if (keepalive.probes() != null) {
            out.setKeepaliveProbes(UInt32Value.of(keepalive.probes()));
        }
        if (keepalive.time() != null) {
            out.setKeepaliveTime(UInt32Value.of((int) keepalive.time().getSeconds()));
        }
        if (keepalive.interval() != null) {
            out.setKeepaliveInterval(UInt32Value.of((int) keepalive.interval().getSeconds()));
        }
    }
}
