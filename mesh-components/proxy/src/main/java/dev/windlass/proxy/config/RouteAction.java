package dev.windlass.proxy.config;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** What a matched route does: forward to a cluster (one, or weighted), answer directly, or nothing we support. */
public sealed interface RouteAction {

    record Forward(List<WeightedCluster> clusters, int totalWeight) implements RouteAction {
        public Forward {
            clusters = List.copyOf(clusters);
        }

        public static Forward to(String cluster) {
            return new Forward(List.of(new WeightedCluster(cluster, 1)), 1);
        }

        /** The cluster for one request: weighted random, lock-free. */
        public String pickCluster() {
            if (clusters.size() == 1) {
                return clusters.getFirst().name();
            }
            int ticket = ThreadLocalRandom.current().nextInt(totalWeight);
            for (WeightedCluster cluster : clusters) {
                ticket -= cluster.weight();
                if (ticket < 0) {
                    return cluster.name();
                }
            }
            return clusters.getLast().name();
        }
    }

    record WeightedCluster(String name, int weight) {
    }

    record DirectResponse(int status, String body) implements RouteAction {
    }

    /** A redirect or another action the proxy cannot carry out yet: answered with a local error. */
    record Unsupported(String what) implements RouteAction {
    }
}
