package dev.windlass.proxy.config;

import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;

import java.util.Set;

/**
 * A cluster's {@code outlier_detection}, with Envoy's defaults filled in, and the cluster's healthy panic threshold
 * (common_lb_config.healthy_panic_threshold, Envoy's default 50%). Windlass implements the consecutive-error
 * detectors (5xx, gateway failure, local-origin failure); success-rate and failure-percentage ejection are refused
 * unless their enforcement is 0, as Istio writes it.
 */
public record OutlierPolicy(int consecutive5xx, int enforcing5xx, int consecutiveGateway, int enforcingGateway,
                            boolean splitLocalOrigin, int consecutiveLocalOrigin, int enforcingLocalOrigin,
                            long intervalMillis, long baseEjectionMillis, long maxEjectionMillis,
                            int maxEjectionPercent, double panicThresholdPercent) {

    private static final Set<String> IMPLEMENTED = Set.of("consecutive_5xx", "enforcing_consecutive_5xx",
            "consecutive_gateway_failure", "enforcing_consecutive_gateway_failure", "split_external_local_origin_errors",
            "consecutive_local_origin_failure", "enforcing_consecutive_local_origin_failure", "interval",
            "base_ejection_time", "max_ejection_time", "max_ejection_percent", "enforcing_success_rate",
            "enforcing_local_origin_success_rate", "enforcing_failure_percentage",
            "enforcing_failure_percentage_local_origin");

    /** The cluster's policy, or null when it has no outlier_detection. */
    static OutlierPolicy of(Cluster cluster) throws InvalidConfigException {
        if (!cluster.hasOutlierDetection()) {
            return null;
        }
        OutlierDetection od = cluster.getOutlierDetection();
        String where = "cluster " + cluster.getName() + " outlier_detection";
        ProtoFields.only(od, where, IMPLEMENTED);
        // Envoy's defaults: success rate enforced at 100%, the others at 0% unless set.
        off(where + ".enforcing_success_rate", od.hasEnforcingSuccessRate() ? od.getEnforcingSuccessRate().getValue() : 100);
        off(where + ".enforcing_local_origin_success_rate", od.getSplitExternalLocalOriginErrors()
                && !od.hasEnforcingLocalOriginSuccessRate() ? 100 : od.getEnforcingLocalOriginSuccessRate().getValue());
        off(where + ".enforcing_failure_percentage", od.getEnforcingFailurePercentage().getValue());
        off(where + ".enforcing_failure_percentage_local_origin", od.getEnforcingFailurePercentageLocalOrigin().getValue());
        long base = millis(od.hasBaseEjectionTime(), od.getBaseEjectionTime(), 30_000);
        double panic = cluster.getCommonLbConfig().hasHealthyPanicThreshold()
                ? cluster.getCommonLbConfig().getHealthyPanicThreshold().getValue() : 50.0;
        return new OutlierPolicy(count(od.hasConsecutive5Xx(), od.getConsecutive5Xx(), 5),
                count(od.hasEnforcingConsecutive5Xx(), od.getEnforcingConsecutive5Xx(), 100),
                count(od.hasConsecutiveGatewayFailure(), od.getConsecutiveGatewayFailure(), 5),
                count(od.hasEnforcingConsecutiveGatewayFailure(), od.getEnforcingConsecutiveGatewayFailure(), 0),
                od.getSplitExternalLocalOriginErrors(),
                count(od.hasConsecutiveLocalOriginFailure(), od.getConsecutiveLocalOriginFailure(), 5),
                count(od.hasEnforcingConsecutiveLocalOriginFailure(), od.getEnforcingConsecutiveLocalOriginFailure(), 100),
                Math.max(1, millis(od.hasInterval(), od.getInterval(), 10_000)), base,
                millis(od.hasMaxEjectionTime(), od.getMaxEjectionTime(), 300_000),
                Math.min(100, count(od.hasMaxEjectionPercent(), od.getMaxEjectionPercent(), 10)), panic);
    }

    /**
     * How long a host ejected for the {@code n}th time stays out: the base time times n, capped at the larger of
     * max_ejection_time and the base time, as Envoy does (without its jitter).
     */
    public long ejectionMillis(int n) {
        return Math.min(baseEjectionMillis * Math.max(1, n), Math.max(maxEjectionMillis, baseEjectionMillis));
    }

    private static void off(String field, int enforcing) throws InvalidConfigException {
        if (enforcing != 0) {
            throw new InvalidConfigException(field + " " + enforcing + ": success-rate and failure-percentage "
                    + "ejection are not supported by Windlass (set their enforcement to 0)");
        }
    }

    private static int count(boolean set, UInt32Value value, int fallback) {
        return set ? value.getValue() : fallback;
    }

    private static long millis(boolean set, Duration value, long fallback) {
        return set ? value.getSeconds() * 1000 + value.getNanos() / 1_000_000 : fallback;
    }
}
