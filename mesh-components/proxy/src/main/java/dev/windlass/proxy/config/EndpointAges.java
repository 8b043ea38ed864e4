package dev.windlass.proxy.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * When each endpoint joined its cluster (System.nanoTime() when the proxy first saw its address there), kept across
 * snapshots for the clusters with slow start: an endpoint present before an EDS or config update keeps its age, a
 * new one starts young, one that left is forgotten (it starts young again if it returns, as Envoy creates a new
 * host). Unhealthy endpoints still listed keep their age.
 */
public final class EndpointAges {
    private final Map<String, Map<String, Long>> byCluster = new HashMap<>();

    /** The join times by address of the cluster's endpoints ({@code all}, as EDS lists them), or null without slow start. */
    synchronized Map<String, Long> joined(ClusterConfig cluster, List<UpstreamEndpoint> all, long now) {
        if (cluster.slowStart() == null) {
            byCluster.remove(cluster.name());
            return null;
        }
        Map<String, Long> previous = byCluster.getOrDefault(cluster.name(), Map.of());
        Map<String, Long> current = new HashMap<>();
        for (UpstreamEndpoint endpoint : all) {
            current.put(endpoint.address(), previous.getOrDefault(endpoint.address(), now));
        }
        byCluster.put(cluster.name(), current);
        return Map.copyOf(current);
    }

    /** Only these clusters exist now. */
    synchronized void retain(Set<String> clusters) {
        byCluster.keySet().retainAll(clusters);
    }
}
