package dev.windlass.traffic.istio.validation;

import dev.windlass.traffic.istio.DestinationRuleSpec.OutlierDetection;

/**
 * Istio's validation of outlier detection: valid durations, percentages within 0-100, no negative count, and
 * local-origin failures counted only when split from external errors.
 */
final class OutlierDetectionRules {
    private OutlierDetectionRules() {
    }

    static void check(String path, OutlierDetection outlier, Errors errors) {
        if (outlier == null) {
            return;
        }
        Values.nonNegative(path + ".consecutive5xxErrors", outlier.consecutive5xxErrors(), errors);
        Values.nonNegative(path + ".consecutiveGatewayErrors", outlier.consecutiveGatewayErrors(), errors);
        Values.nonNegative(path + ".consecutiveLocalOriginFailures", outlier.consecutiveLocalOriginFailures(), errors);
        if (outlier.interval() != null) {
            Values.duration(path + ".interval", outlier.interval(), errors);
        }
        if (outlier.baseEjectionTime() != null) {
            Values.duration(path + ".baseEjectionTime", outlier.baseEjectionTime(), errors);
        }
        percent(path + ".maxEjectionPercent", outlier.maxEjectionPercent(), errors);
        percent(path + ".minHealthPercent", outlier.minHealthPercent(), errors);
        boolean split = Boolean.TRUE.equals(outlier.splitExternalLocalOriginErrors());
        Integer local = outlier.consecutiveLocalOriginFailures();
        if (!split && local != null && local > 0) {
            errors.add(path + ".consecutiveLocalOriginFailures", "outlier detection consecutive local origin failures "
                    + "is specified, but split external local origin errors is set to false");
        }
    }

    private static void percent(String path, Integer value, Errors errors) {
        if (value != null && (value < 0 || value > 100)) {
            errors.add(path, "percentage " + value + " is not in range 0..100");
        }
    }
}
