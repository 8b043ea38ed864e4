package dev.windlass.traffic.istio.validation;

import dev.windlass.traffic.istio.DestinationRuleSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Istio's validation of a localityLbSetting: distribute and failover exclusive; each distribute rule's weights in
 * 1..100 summing to 100; localities {@code region/zone/subzone} with at most one {@code *}, last, and none overlapping
 * another; failover names two different regions, without {@code /} or {@code *}.
 */
final class LocalityLbRules {
    private LocalityLbRules() {
    }

    static void check(String path, DestinationRuleSpec.LocalityLbSetting setting, Errors errors) {
        if (setting == null) {
            return;
        }
        if (!setting.distribute().isEmpty() && !setting.failover().isEmpty()) {
            errors.add(path, "can not simultaneously specify 'distribute' and 'failover'");
        }
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < setting.distribute().size(); i++) {
            var rule = setting.distribute().get(i);
            String at = path + ".distribute[" + i + "]";
            if (rule.from() == null || rule.from().isEmpty()) {
                errors.add(at + ".from", "locality is required");
            } else {
                sources.add(rule.from());
            }
            weights(at + ".to", rule.to(), errors);
            localities(at + ".to", List.copyOf(rule.to().keySet()), errors);
        }
        localities(path + ".distribute", sources, errors);
        for (int i = 0; i < setting.failover().size(); i++) {
            var rule = setting.failover().get(i);
            String at = path + ".failover[" + i + "]";
            String from = rule.from() == null ? "" : rule.from();
            String to = rule.to() == null ? "" : rule.to();
            if (from.isEmpty() || to.isEmpty()) {
                errors.add(at, "from and to regions are required");
            } else if (from.equals(to)) {
                errors.add(at, "locality lb failover settings must specify different regions");
            }
            if (from.contains("/") || to.contains("/")) {
                errors.add(at, "locality lb failover only specify region");
            }
            if (from.contains("*") || to.contains("*")) {
                errors.add(at, "locality lb failover region should not contain '*' wildcard");
            }
        }
    }

    private static void weights(String path, Map<String, Integer> to, Errors errors) {
        int total = 0;
        for (Map.Entry<String, Integer> e : to.entrySet()) {
            Integer weight = e.getValue();
            if (weight == null || weight <= 0 || weight > 100) {
                errors.add(path + "[" + e.getKey() + "]", "locality weight must be in range [1, 100]");
                return;
            }
            total += weight;
        }
        if (total != 100) {
            errors.add(path, "total locality weight " + total + " != 100");
        }
    }

    /** Wildcards only last and once; no locality equal to, or inside, another given before it (Istio's overlap). */
    private static void localities(String path, List<String> localities, Errors errors) {
        Set<String> seen = new HashSet<>();
        for (String locality : localities.stream().sorted().toList()) {
            int stars = (int) locality.chars().filter(c -> c == '*').count();
            if (stars > 1 || stars == 1 && !locality.endsWith("*")) {
                errors.add(path, "locality " + locality + " wildcard '*' number can not exceed 1 and must be in the end");
                return;
            }
            if (locality.split("/", -1).length > 3) {
                errors.add(path, "locality " + locality + " has more than region/zone/subzone");
                return;
            }
            for (String other : seen) {
                if (covers(other, locality) || covers(locality, other)) {
                    errors.add(path, "locality " + locality + " overlap with previous specified ones");
                    return;
                }
            }
            seen.add(locality);
        }
    }

    /** Whether pattern (exact, or ending in {@code *}) matches every locality that {@code other} names. */
    private static boolean covers(String pattern, String other) {
        if (pattern.equals(other)) {
            return true;
        }
        if (!pattern.endsWith("*")) {
            return false;
        }
        String prefix = pattern.substring(0, pattern.length() - 1);
        return prefix.isEmpty() || (other.startsWith(prefix) && prefix.endsWith("/"));
    }
}
