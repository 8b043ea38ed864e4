package dev.windlass.discovery.routing;

import java.time.Duration;
import java.util.Optional;

/**
 * The slow-start window of a cluster (port, subset): the warmupDurationSecs of the loadBalancer that chose its load
 * balancing, as Istio takes a loadBalancer whole from the most specific level that sets one (subset port, subset,
 * rule port, rule). Port-level settings carry none (validation refuses it there), and only ROUND_ROBIN and
 * LEAST_REQUEST clusters warm up.
 */
public final class Warmups {
    private Warmups() {
    }

    public static Optional<Duration> of(DestinationPolicy policy, int port, String subset) {
        DestinationPolicy.LoadBalancing lb = policy.loadBalancing(port, subset);
        if (lb != DestinationPolicy.LoadBalancing.ROUND_ROBIN && lb != DestinationPolicy.LoadBalancing.LEAST_REQUEST) {
            return Optional.empty();
        }
        DestinationPolicy.Policy own = policy.subset(subset).map(DestinationPolicy.Subset::policy)
                .orElse(DestinationPolicy.Policy.NONE);
        if (own.perPort().containsKey(port)) {
            return Optional.empty();
        }
        if (own.loadBalancing() != null) {
            return Optional.ofNullable(own.warmup());
        }
        if (policy.policy().perPort().containsKey(port)) {
            return Optional.empty();
        }
        return Optional.ofNullable(policy.policy().warmup());
    }
}
