package dev.windlass.discovery.routing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The traffic policy for one host (a DestinationRule): load balancing at destination level and per port, and
 * the subsets, each with its own. Istio's override order for a cluster of (port, subset): the subset's port
 * setting, the subset's own, the destination's port setting, the destination's own.
 */
public record DestinationPolicy(String source, String namespace, String name, Instant created, String host,
                                Visibility visibility, Policy policy, List<Subset> subsets) {

    public DestinationPolicy {
        subsets = List.copyOf(subsets);
    }

    public enum LoadBalancing { ROUND_ROBIN, LEAST_REQUEST, RANDOM, PASSTHROUGH }

    /** Load balancing, or null when not said, and per-port overrides. */
    public record Policy(LoadBalancing loadBalancing, Map<Integer, LoadBalancing> perPort) {
        public static final Policy NONE = new Policy(null, Map.of());

        public Policy {
            perPort = Map.copyOf(perPort);
        }

        LoadBalancing at(int port) {
            return perPort.getOrDefault(port, loadBalancing);
        }
    }

    public record Subset(String name, Map<String, String> labels, Policy policy) {
        public Subset {
            labels = Map.copyOf(labels);
        }

        /** Whether an endpoint with these pod labels belongs to the subset. */
        public boolean selects(Map<String, String> podLabels) {
            return labels.entrySet().stream().allMatch(e -> e.getValue().equals(podLabels.get(e.getKey())));
        }
    }

    public Optional<Subset> subset(String subsetName) {
        return subsets.stream().filter(s -> s.name().equals(subsetName)).findFirst();
    }

    /** The load balancing of the cluster (port, subset); ROUND_ROBIN when nothing says otherwise. */
    public LoadBalancing loadBalancing(int port, String subsetName) {
        LoadBalancing chosen = subset(subsetName).map(s -> s.policy().at(port)).orElse(null);
        if (chosen == null) {
            chosen = policy.at(port);
        }
        return chosen == null ? LoadBalancing.ROUND_ROBIN : chosen;
    }
}
