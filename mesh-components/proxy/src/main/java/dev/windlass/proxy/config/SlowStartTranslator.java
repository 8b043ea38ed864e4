package dev.windlass.proxy.config;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;

/**
 * The slow_start_config of a ROUND_ROBIN cluster's round_robin_lb_config or a LEAST_REQUEST one's
 * least_request_lb_config (the other balancers have none in Envoy). Aggression is its runtime default_value
 * (runtime keys are not read: the proxy has no runtime), 1.0 when unset or not positive, as Envoy falls back;
 * min_weight_percent 10 when unset. No window, or a zero one: no slow start.
 */
final class SlowStartTranslator {
    private SlowStartTranslator() {
    }

    static ClusterConfig.SlowStart of(Cluster cluster) throws InvalidConfigException {
        Cluster.SlowStartConfig config = switch (cluster.getLbPolicy()) {
            case ROUND_ROBIN -> cluster.getRoundRobinLbConfig().getSlowStartConfig();
            case LEAST_REQUEST -> cluster.getLeastRequestLbConfig().getSlowStartConfig();
            default -> null;
        };
        if (config == null || !config.hasSlowStartWindow()) {
            return null;
        }
        long window = config.getSlowStartWindow().getSeconds() * 1_000_000_000L + config.getSlowStartWindow().getNanos();
        if (window <= 0) {
            return null;
        }
        double aggression = config.hasAggression() ? config.getAggression().getDefaultValue()
                : ClusterConfig.SlowStart.DEFAULT_AGGRESSION;
        if (!(aggression > 0)) {
            aggression = ClusterConfig.SlowStart.DEFAULT_AGGRESSION;
        }
        double minWeight = config.hasMinWeightPercent() ? config.getMinWeightPercent().getValue() / 100
                : ClusterConfig.SlowStart.DEFAULT_MIN_WEIGHT;
        if (minWeight < 0 || minWeight > 1) {
            throw new InvalidConfigException("cluster " + cluster.getName() + ": slow_start_config min_weight_percent "
                    + config.getMinWeightPercent().getValue() + " is not within 0..100");
        }
        return new ClusterConfig.SlowStart(window, aggression, minWeight);
    }
}
