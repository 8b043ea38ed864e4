package dev.windlass.discovery.routing;

import java.util.Map;

/** Who a proxy serves, as far as routing cares: its namespace and its pod's labels (empty when unknown). */
public record Workload(String namespace, Map<String, String> labels) {
    public Workload {
        labels = Map.copyOf(labels);
    }
}
