package dev.windlass.traffic.istio.validation;

import dev.windlass.traffic.istio.DestinationRuleSpec.LoadBalancer;

/**
 * {@code loadBalancer.warmupDurationSecs}: a duration as Istio validates it. Slow start is Envoy's for the round
 * robin and least request balancers only, so Windlass refuses it beside consistentHash, RANDOM and PASSTHROUGH
 * (Istio drops it there silently), and per port.
 */
final class WarmupRules {
    private WarmupRules() {
    }

    static void check(String path, LoadBalancer lb, boolean perPort, Errors errors) {
        if (lb == null || lb.warmupDurationSecs() == null) {
            return;
        }
        String at = path + ".warmupDurationSecs";
        Values.duration(at, lb.warmupDurationSecs(), errors);
        if (perPort) {
            errors.notSupported(at, "per-port warmupDurationSecs");
        } else if (lb.consistentHash() != null) {
            errors.notSupported(at, "warmupDurationSecs with consistentHash");
        } else if ("RANDOM".equals(lb.simple()) || "PASSTHROUGH".equals(lb.simple())) {
            errors.notSupported(at, "warmupDurationSecs with " + lb.simple() + ": slow start is for ROUND_ROBIN and LEAST_REQUEST");
        }
    }
}
