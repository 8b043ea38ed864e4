package dev.windlass.discovery.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every DestinationRule of the mesh, and Istio's choice of the one that applies: for a client in namespace C and
 * a service in namespace S, a rule in C first, then one in S exported to C, then one in the root namespace.
 * Within a namespace the most specific host wins, then the oldest rule.
 */
public final class DestinationPolicies {
    private static final Comparator<DestinationPolicy> AGE = Comparator.comparing(DestinationPolicy::created)
            .thenComparing(DestinationPolicy::namespace).thenComparing(DestinationPolicy::name);
    public static final DestinationPolicies EMPTY = new DestinationPolicies(List.of(), "windlass-system");

    private final List<DestinationPolicy> policies;
    private final String rootNamespace;

    public DestinationPolicies(List<DestinationPolicy> policies, String rootNamespace) {
        this.policies = policies.stream().sorted(AGE).toList();
        this.rootNamespace = rootNamespace;
    }

    public List<DestinationPolicy> all() {
        return policies;
    }

    public String rootNamespace() {
        return rootNamespace;
    }

    /** The policy for traffic from a client in {@code clientNamespace} to {@code host} of {@code serviceNamespace}. */
    public Optional<DestinationPolicy> forClient(String host, String serviceNamespace, String clientNamespace) {
        for (String namespace : List.of(clientNamespace, serviceNamespace, rootNamespace)) {
            Optional<DestinationPolicy> found = inNamespace(host, namespace, clientNamespace);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private Optional<DestinationPolicy> inNamespace(String host, String namespace, String clientNamespace) {
        DestinationPolicy best = null;
        for (DestinationPolicy policy : policies) {
            if (policy.namespace().equals(namespace) && policy.visibility().visibleFrom(clientNamespace)
                    && HostPattern.matches(policy.host(), host)
                    && (best == null || HostPattern.specificity(policy.host()) > HostPattern.specificity(best.host()))) {
                best = policy;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The subsets whose endpoints EDS lists for {@code host}, one definition per name: the service's namespace's
     * rule first, then the root namespace's, then any other by age. (Endpoints are built once for all proxies.)
     */
    public List<DestinationPolicy.Subset> endpointSubsets(String host, String serviceNamespace) {
        List<DestinationPolicy> ordered = new ArrayList<>();
        policies.stream().filter(p -> p.namespace().equals(serviceNamespace)).forEach(ordered::add);
        policies.stream().filter(p -> p.namespace().equals(rootNamespace) && !ordered.contains(p)).forEach(ordered::add);
        policies.stream().filter(p -> !ordered.contains(p)).forEach(ordered::add);
        Map<String, DestinationPolicy.Subset> byName = new LinkedHashMap<>();
        for (DestinationPolicy policy : ordered) {
            if (HostPattern.matches(policy.host(), host)) {
                policy.subsets().forEach(s -> byName.putIfAbsent(s.name(), s));
            }
        }
        return List.copyOf(byName.values());
    }
}
