package dev.windlass.traffic.istio.validation;

import dev.windlass.traffic.istio.DestinationRuleSpec.ConnectionPool;

/**
 * Istio's validation of a connection pool: at least one field, no negative count, valid durations, a known
 * h2UpgradePolicy (and the TCP settings of {@link TcpSettingsRules}).
 */
final class ConnectionPoolRules {
    private ConnectionPoolRules() {
    }

    static void check(String path, ConnectionPool pool, Errors errors) {
        if (pool == null) {
            return;
        }
        if (pool.tcp() == null && pool.http() == null) {
            errors.add(path, "must set at least one of tcp or http");
        }
        if (pool.tcp() != null) {
            Values.nonNegative(path + ".tcp.maxConnections", pool.tcp().maxConnections(), errors);
            if (pool.tcp().connectTimeout() != null) {
                Values.duration(path + ".tcp.connectTimeout", pool.tcp().connectTimeout(), errors);
            }
            TcpSettingsRules.check(path + ".tcp", pool.tcp(), errors);
        }
        if (pool.http() != null) {
            Values.nonNegative(path + ".http.http1MaxPendingRequests", pool.http().http1MaxPendingRequests(), errors);
            Values.nonNegative(path + ".http.http2MaxRequests", pool.http().http2MaxRequests(), errors);
            Values.nonNegative(path + ".http.maxRequestsPerConnection", pool.http().maxRequestsPerConnection(), errors);
            Values.nonNegative(path + ".http.maxRetries", pool.http().maxRetries(), errors);
            if (pool.http().idleTimeout() != null) {
                Values.duration(path + ".http.idleTimeout", pool.http().idleTimeout(), errors);
            }
            Values.nonNegative(path + ".http.maxConcurrentStreams", pool.http().maxConcurrentStreams(), errors);
            String upgrade = pool.http().h2UpgradePolicy();
            if (upgrade != null && !ConnectionPool.Http.H2_UPGRADE_POLICIES.contains(upgrade)) {
                errors.add(path + ".http.h2UpgradePolicy",
                        "\"" + upgrade + "\" is not one of " + ConnectionPool.Http.H2_UPGRADE_POLICIES);
            }
        }
    }
}
