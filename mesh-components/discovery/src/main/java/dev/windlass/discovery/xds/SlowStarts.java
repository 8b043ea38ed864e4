package dev.windlass.discovery.xds;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;

import java.time.Duration;

/**
 * warmupDurationSecs as Istio writes it: the round robin or least request config's slow_start_config with its
 * slow_start_window only (Envoy's defaults: aggression 1.0, min_weight_percent 10). Other balancers have none.
 */
final class SlowStarts {
    private SlowStarts() {
    }

    static void apply(Cluster.Builder cluster, Duration window) {
        Cluster.SlowStartConfig slowStart = Cluster.SlowStartConfig.newBuilder()
                .setSlowStartWindow(RoutePolicies.duration(window)).build();
        switch (cluster.getLbPolicy()) {
            case ROUND_ROBIN -> cluster.setRoundRobinLbConfig(Cluster.RoundRobinLbConfig.newBuilder()
                    .setSlowStartConfig(slowStart));
            case LEAST_REQUEST -> cluster.setLeastRequestLbConfig(Cluster.LeastRequestLbConfig.newBuilder()
                    .setSlowStartConfig(slowStart));
            default -> { }
        }
    }
}
