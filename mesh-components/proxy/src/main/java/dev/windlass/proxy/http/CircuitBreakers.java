package dev.windlass.proxy.http;

import dev.windlass.proxy.config.ClusterConfig;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The circuit breakers of the proxy by cluster name; a cluster's counts outlive config updates, its limits follow them. */
final class CircuitBreakers {
    private final Map<String, CircuitBreaker> byCluster = new ConcurrentHashMap<>();

    CircuitBreaker of(ClusterConfig cluster) {
        CircuitBreaker breaker = byCluster.get(cluster.name());
        if (breaker == null) {
            breaker = byCluster.computeIfAbsent(cluster.name(), n -> new CircuitBreaker(n, cluster.limits()));
        }
        breaker.update(cluster.limits());
        return breaker;
    }
}
