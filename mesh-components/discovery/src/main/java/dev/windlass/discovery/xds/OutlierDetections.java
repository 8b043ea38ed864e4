package dev.windlass.discovery.xds;

import com.google.protobuf.UInt32Value;
import dev.windlass.discovery.routing.DestinationPolicy.OutlierDetection;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.type.v3.Percent;

/**
 * A DestinationRule's outlier detection on a cluster, as Istio writes it: success-rate ejection off; each
 * consecutive-error count with its enforcement at 100% (0% when the count is 0); interval, base ejection time and a
 * max ejection percent above 0 as given; local-origin failures only when split from external errors; and
 * minHealthPercent as the cluster's healthy_panic_threshold, written even when 0 (Istio turns Envoy's 50% panic off).
 */
final class OutlierDetections {
    private static final UInt32Value OFF = UInt32Value.of(0);
    private static final UInt32Value ALWAYS = UInt32Value.of(100);

    private OutlierDetections() {
    }

    static Cluster.Builder apply(Cluster.Builder cluster, OutlierDetection outlier) {
        if (outlier == null) {
            return cluster;
        }
        io.envoyproxy.envoy.config.cluster.v3.OutlierDetection.Builder out =
                io.envoyproxy.envoy.config.cluster.v3.OutlierDetection.newBuilder().setEnforcingSuccessRate(OFF);
        if (outlier.consecutive5xxErrors() != null) {
            out.setConsecutive5Xx(UInt32Value.of(outlier.consecutive5xxErrors()))
                    .setEnforcingConsecutive5Xx(outlier.consecutive5xxErrors() > 0 ? ALWAYS : OFF);
        }
        if (outlier.consecutiveGatewayErrors() != null) {
            out.setConsecutiveGatewayFailure(UInt32Value.of(outlier.consecutiveGatewayErrors()))
                    .setEnforcingConsecutiveGatewayFailure(outlier.consecutiveGatewayErrors() > 0 ? ALWAYS : OFF);
        }
        if (outlier.interval() != null) {
            out.setInterval(RoutePolicies.duration(outlier.interval()));
        }
        if (outlier.baseEjectionTime() != null) {
            out.setBaseEjectionTime(RoutePolicies.duration(outlier.baseEjectionTime()));
        }
        if (outlier.maxEjectionPercent() > 0) {
            out.setMaxEjectionPercent(UInt32Value.of(outlier.maxEjectionPercent()));
        }
        if (outlier.splitExternalLocalOriginErrors()) {
            out.setSplitExternalLocalOriginErrors(true).setEnforcingLocalOriginSuccessRate(OFF);
            Integer local = outlier.consecutiveLocalOriginFailures();
            if (local != null && local > 0) {
                out.setConsecutiveLocalOriginFailure(UInt32Value.of(local)).setEnforcingConsecutiveLocalOriginFailure(ALWAYS);
            }
        }
        cluster.setOutlierDetection(out);
        cluster.getCommonLbConfigBuilder().setHealthyPanicThreshold(Percent.newBuilder().setValue(outlier.minHealthPercent()));
        return cluster;
    }
}
