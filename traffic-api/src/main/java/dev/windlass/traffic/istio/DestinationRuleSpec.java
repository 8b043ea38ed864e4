package dev.windlass.traffic.istio;

import java.util.List;
import java.util.Map;

/**
 * The spec of a DestinationRule: policies for the traffic to one host, and its subsets (named groups of endpoints
 * by label). Connection pools, outlier detection, consistent hashing and TLS settings are refused at parsing
 * until they are implemented.
 */
public record DestinationRuleSpec(String host, TrafficPolicy trafficPolicy, List<Subset> subsets,
                                  List<String> exportTo) {

    public DestinationRuleSpec {
        subsets = Nulls.list(subsets);
        exportTo = Nulls.list(exportTo);
    }

    public record TrafficPolicy(LoadBalancer loadBalancer, List<PortPolicy> portLevelSettings) {
        public TrafficPolicy {
            portLevelSettings = Nulls.list(portLevelSettings);
        }
    }

    public record PortPolicy(Destination.PortSelector port, LoadBalancer loadBalancer) {
    }

    /** {@code simple}: ROUND_ROBIN, LEAST_REQUEST (LEAST_CONN is its deprecated name), RANDOM, PASSTHROUGH. */
    public record LoadBalancer(String simple) {
    }

    public record Subset(String name, Map<String, String> labels, TrafficPolicy trafficPolicy) {
        public Subset {
            labels = Nulls.map(labels);
        }
    }
}
