package dev.windlass.discovery.security;

import dev.windlass.traffic.istio.AuthorizationPolicySpec;
import dev.windlass.traffic.istio.IstioResource;
import dev.windlass.traffic.istio.RequestAuthenticationSpec;
import dev.windlass.traffic.istio.WorkloadSelector;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The mesh's policies of one security kind (AuthorizationPolicy, RequestAuthentication), and which apply to a
 * workload as Istio decides it: those of its namespace without a selector or whose selector matches its pod, and
 * those of the root namespace likewise, for workloads of every namespace. Sorted by namespace and name, so that the
 * filters built from them are stable.
 */
public final class WorkloadPolicies<S> {
    public static final WorkloadPolicies<AuthorizationPolicySpec> NO_AUTHORIZATIONS = authorizations(List.of(), "windlass-system");
    public static final WorkloadPolicies<RequestAuthenticationSpec> NO_AUTHENTICATIONS = authentications(List.of(), "windlass-system");

    private final List<IstioResource<S>> policies;
    private final String rootNamespace;
    private final Function<S, WorkloadSelector> selector;

    private WorkloadPolicies(List<IstioResource<S>> policies, String rootNamespace, Function<S, WorkloadSelector> selector) {
        this.policies = policies.stream().sorted(Comparator.comparing(IstioResource::key)).toList();
        this.rootNamespace = rootNamespace;
        this.selector = selector;
    }

    public static WorkloadPolicies<AuthorizationPolicySpec> authorizations(
            List<IstioResource<AuthorizationPolicySpec>> policies, String rootNamespace) {
        return new WorkloadPolicies<>(policies, rootNamespace, AuthorizationPolicySpec::selector);
    }

    public static WorkloadPolicies<RequestAuthenticationSpec> authentications(
            List<IstioResource<RequestAuthenticationSpec>> policies, String rootNamespace) {
        return new WorkloadPolicies<>(policies, rootNamespace, RequestAuthenticationSpec::selector);
    }

    /** The policies that apply to a pod in {@code namespace} with {@code labels}. */
    public List<IstioResource<S>> forWorkload(String namespace, Map<String, String> labels) {
        if (policies.isEmpty()) {
            return List.of();
        }
        return policies.stream()
                .filter(p -> p.namespace().equals(namespace) || p.namespace().equals(rootNamespace))
                .filter(p -> {
                    WorkloadSelector s = selector.apply(p.spec());
                    return s == null || s.matchLabels().isEmpty() || s.matches(labels);
                })
                .toList();
    }
}
