package dev.windlass.proxy.config.rbac;

import java.util.List;

/**
 * One RBAC filter's rules (envoy.config.rbac.v3.RBAC), compiled: ALLOW lets through what some policy matches
 * (nothing at all when there is no policy), DENY refuses what some policy matches.
 */
public record RbacRules(Action action, List<RbacPolicy> policies) {

    public enum Action { ALLOW, DENY }

    public RbacRules {
        policies = List.copyOf(policies);
    }

    public boolean allows(RbacInput input) {
        boolean matched = matchedPolicy(input) != null;
        return action == Action.ALLOW ? matched : !matched;
    }

    /** The first policy (by name) that matches, or null: what a denial is logged with. */
    public RbacPolicy matchedPolicy(RbacInput input) {
        for (int i = 0; i < policies.size(); i++) {
            if (policies.get(i).matches(input)) {
                return policies.get(i);
            }
        }
        return null;
    }
}
