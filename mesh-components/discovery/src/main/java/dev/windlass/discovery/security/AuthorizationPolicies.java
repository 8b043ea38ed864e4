package dev.windlass.discovery.security;

import dev.windlass.traffic.istio.AuthorizationPolicySpec;
import dev.windlass.traffic.istio.IstioResource;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The mesh's AuthorizationPolicies, and which apply to a workload as Istio decides it: those of its namespace
 * without a selector or whose selector matches its pod, and those of the root namespace likewise, for workloads of
 * every namespace. Sorted by namespace and name, so that the RBAC filters built from them are stable.
 */
public final class AuthorizationPolicies {
    public static final AuthorizationPolicies EMPTY = new AuthorizationPolicies(List.of(), "windlass-system");

    private final List<IstioResource<AuthorizationPolicySpec>> policies;
    private final String rootNamespace;

    public AuthorizationPolicies(List<IstioResource<AuthorizationPolicySpec>> policies, String rootNamespace) {
        this.policies = policies.stream().sorted(Comparator.comparing(IstioResource::key)).toList();
        this.rootNamespace = rootNamespace;
    }

    /** The policies that apply to a pod in {@code namespace} with {@code labels}; empty: allow everything. */
    public List<IstioResource<AuthorizationPolicySpec>> forWorkload(String namespace, Map<String, String> labels) {
        if (policies.isEmpty()) {
            return List.of();
        }
        return policies.stream()
                .filter(p -> p.namespace().equals(namespace) || p.namespace().equals(rootNamespace))
                .filter(p -> !p.spec().selectsWorkloads() || p.spec().selector().matches(labels))
                .toList();
    }
}
