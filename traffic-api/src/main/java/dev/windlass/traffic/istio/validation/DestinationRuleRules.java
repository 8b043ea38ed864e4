package dev.windlass.traffic.istio.validation;

import dev.windlass.traffic.istio.DestinationRuleSpec;

import java.util.HashSet;
import java.util.Set;

/** Istio's validation of a DestinationRule: host, subsets, and traffic policies at every level. */
final class DestinationRuleRules {
    private static final Set<String> SIMPLE = Set.of("UNSPECIFIED", "ROUND_ROBIN", "LEAST_REQUEST", "LEAST_CONN",
            "RANDOM", "PASSTHROUGH");

    private DestinationRuleRules() {
    }

    static void check(DestinationRuleSpec spec, Errors errors) {
        Values.host("spec.host", spec.host(), errors);
        policy("spec.trafficPolicy", spec.trafficPolicy(), errors);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < spec.subsets().size(); i++) {
            var subset = spec.subsets().get(i);
            String path = "spec.subsets[" + i + "]";
            Values.subsetName(path + ".name", subset.name(), true, errors);
            if (subset.name() != null && !names.add(subset.name())) {
                errors.add(path + ".name", "duplicate subset names: " + subset.name());
            }
            Values.labels(path + ".labels", subset.labels(), errors);
            policy(path + ".trafficPolicy", subset.trafficPolicy(), errors);
            refuseLocality(path + ".trafficPolicy.loadBalancer", subset.trafficPolicy() == null ? null
                    : subset.trafficPolicy().loadBalancer(), "subset-level localityLbSetting", errors);
        }
        Values.exportTo("spec.exportTo", spec.exportTo(), errors);
    }

    private static void policy(String path, DestinationRuleSpec.TrafficPolicy policy, Errors errors) {
        if (policy == null) {
            return;
        }
        if (policy.loadBalancer() == null && policy.connectionPool() == null && policy.outlierDetection() == null
                && policy.portLevelSettings().isEmpty() && policy.tls() == null) {
            errors.add(path, "traffic policy must have at least one field");
        }
        loadBalancer(path + ".loadBalancer", policy.loadBalancer(), errors);
        WarmupRules.check(path + ".loadBalancer", policy.loadBalancer(), false, errors);
        ConnectionPoolRules.check(path + ".connectionPool", policy.connectionPool(), errors);
        OutlierDetectionRules.check(path + ".outlierDetection", policy.outlierDetection(), errors);
        ClientTlsRules.check(path + ".tls", policy.tls(), errors);
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < policy.portLevelSettings().size(); i++) {
            var port = policy.portLevelSettings().get(i);
            String at = path + ".portLevelSettings[" + i + "]";
            if (port.port() == null || port.port().number() == null) {
                errors.add(at + ".port", "portTrafficPolicy must have valid port");
            } else {
                Values.port(at + ".port.number", port.port().number(), errors);
                if (!ports.add(port.port().number())) {
                    errors.add(at + ".port.number", "duplicate port " + port.port().number());
                }
            }
            if (port.loadBalancer() == null && port.connectionPool() == null && port.outlierDetection() == null
                    && port.tls() == null) {
                errors.add(at, "port traffic policy must have at least one field");
            }
            ClientTlsRules.check(at + ".tls", port.tls(), errors);
            loadBalancer(at + ".loadBalancer", port.loadBalancer(), errors);
            WarmupRules.check(at + ".loadBalancer", port.loadBalancer(), true, errors);
            ConnectionPoolRules.check(at + ".connectionPool", port.connectionPool(), errors);
            OutlierDetectionRules.check(at + ".outlierDetection", port.outlierDetection(), errors);
            refuseLocality(at + ".loadBalancer", port.loadBalancer(), "per-port localityLbSetting", errors);
        }
    }

    /** Locality load balancing is read at the destination's top level only. */
    private static void refuseLocality(String path, DestinationRuleSpec.LoadBalancer lb, String what, Errors errors) {
        if (lb != null && lb.localityLbSetting() != null) {
            errors.notSupported(path + ".localityLbSetting", what);
        }
    }

    private static void loadBalancer(String path, DestinationRuleSpec.LoadBalancer lb, Errors errors) {
        if (lb == null) {
            return;
        }
        LocalityLbRules.check(path + ".localityLbSetting", lb.localityLbSetting(), errors);
        if (lb.localityLbSetting() != null && lb.consistentHash() != null) {
            errors.notSupported(path + ".localityLbSetting", "localityLbSetting with consistentHash");
        }
        if (lb.simple() != null && lb.consistentHash() != null) {
            errors.add(path, "only one of simple or consistentHash can be set");
        } else if (lb.consistentHash() != null) {
            ConsistentHashRules.check(path + ".consistentHash", lb.consistentHash(), errors);
        } else if (lb.simple() == null) {
            if (lb.localityLbSetting() == null) {
                errors.add(path, "simple, consistentHash or localityLbSetting is required");
            }
        } else if (!SIMPLE.contains(lb.simple())) {
            errors.add(path + ".simple", "\"" + lb.simple() + "\" is not one of " + new java.util.TreeSet<>(SIMPLE));
        }
    }
}
