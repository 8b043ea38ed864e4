package dev.windlass.discovery.istio;

import dev.windlass.discovery.routing.DestinationPolicy;
import dev.windlass.traffic.istio.DestinationRuleSpec;

import static dev.windlass.discovery.istio.DestinationRuleTranslator.duration;

/** A DestinationRule connection pool (at any level) to the routing model's. */
final class ConnectionPoolTranslator {
    private ConnectionPoolTranslator() {
    }

    static DestinationPolicy.ConnectionPool pool(DestinationRuleSpec.ConnectionPool pool) {
        if (pool == null) {
            return null;
        }
        var tcp = pool.tcp();
        var http = pool.http();
        return new DestinationPolicy.ConnectionPool(tcp == null ? null : tcp.maxConnections(),
                tcp == null ? null : duration(tcp.connectTimeout()),
                http == null ? null : http.http1MaxPendingRequests(), http == null ? null : http.http2MaxRequests(),
                http == null ? null : http.maxRequestsPerConnection(), http == null ? null : http.maxRetries(),
                http == null ? null : duration(http.idleTimeout()),
                tcp == null ? null : keepalive(tcp.tcpKeepalive()),
                tcp == null ? null : duration(tcp.maxConnectionDuration()),
                // DEFAULT is DO_NOT_UPGRADE: Windlass has no mesh-wide h2UpgradePolicy to defer to.
                http != null && "UPGRADE".equals(http.h2UpgradePolicy()), http == null ? null : http.maxConcurrentStreams());
    }

    /** Istio writes a probe count of 0 as not set. */
    private static DestinationPolicy.TcpKeepalive keepalive(DestinationRuleSpec.ConnectionPool.TcpKeepalive keepalive) {
        if (keepalive == null) {
            return null;
        }
        Integer probes = keepalive.probes() != null && keepalive.probes() > 0 ? keepalive.probes() : null;
        return new DestinationPolicy.TcpKeepalive(probes, duration(keepalive.time()), duration(keepalive.interval()));
    }
}
