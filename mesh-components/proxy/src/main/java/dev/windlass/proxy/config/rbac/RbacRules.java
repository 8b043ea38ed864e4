package dev.windlass.proxy.config.rbac;

import java.util.List;

/**
 * One RBAC filter's rules (envoy.config.rbac.v3.RBAC), compiled: ALLOW lets through what some policy matches
 * (nothing at all when there is no policy), DENY refuses what some policy matches, LOG lets everything through and
 * marks what some policy matches as audited (Istio's AUDIT).
 */
public record RbacRules(Action action, List<RbacPolicy> policies) {

    public enum Action { ALLOW, DENY, LOG }

    public RbacRules {
        policies = List.copyOf(policies);
    }

    public boolean allows(RbacInput input) {
        if (action == Action.LOG) {
            return true;
        }
        boolean matched = matchedPolicy(input) != null;
        return action == Action.ALLOW ? matched : !matched;
    }

    /** LOG only: the policy that audits {@code input}, or null (also for every other action). */
    public RbacPolicy auditedBy(RbacInput input) {
        return action == Action.LOG ? matchedPolicy(input) : null;
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
