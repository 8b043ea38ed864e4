package dev.windlass.discovery.security;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mesh's PeerAuthentications, and Istio's composition of them for a workload: the mesh policy (the root
 * namespace's without a selector), then the namespace's (without a selector), then the workload's (the first
 * whose selector matches the pod), each of its level the oldest one. A level's mode replaces the one before it
 * unless it is UNSET; with none set the workload is PERMISSIVE. Port-level modes come from the workload policy
 * only, an UNSET one taking the workload's mode.
 */
public final class PeerAuthentications {
    public static final PeerAuthentications EMPTY = new PeerAuthentications(List.of(), "windlass-system");

    private final Map<String, List<Policy>> byNamespace = new HashMap<>();
    private final String rootNamespace;

    /**
     * One PeerAuthentication: {@code mode} null when UNSET, {@code selector} empty for a namespace or mesh policy,
     * {@code ports} the port-level modes (a null value is UNSET).
     */
    public record Policy(String namespace, String name, Instant created, Map<String, String> selector, MtlsMode mode,
                         Map<Integer, MtlsMode> ports) {
        public Policy {
            selector = Map.copyOf(selector);
            ports = java.util.Collections.unmodifiableMap(new HashMap<>(ports));
        }

        boolean selectsWorkloads() {
            return !selector.isEmpty();
        }

        boolean selects(Map<String, String> labels) {
            return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
        }
    }

    public PeerAuthentications(List<Policy> policies, String rootNamespace) {
        this.rootNamespace = rootNamespace;
        Comparator<Policy> oldestFirst = Comparator.comparing(Policy::created, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Policy::name);
        policies.stream().sorted(oldestFirst)
                .forEach(p -> byNamespace.computeIfAbsent(p.namespace(), k -> new java.util.ArrayList<>()).add(p));
    }

    /** The policy of a workload: a pod in {@code namespace} with {@code labels}. */
    public PeerPolicy forWorkload(String namespace, Map<String, String> labels) {
        if (byNamespace.isEmpty()) {
            return PeerPolicy.PERMISSIVE;
        }
        MtlsMode mode = MtlsMode.PERMISSIVE;
        mode = inherit(mode, namespaceWide(rootNamespace));
        mode = inherit(mode, namespaceWide(namespace));
        Optional<Policy> workload = byNamespace.getOrDefault(namespace, List.of()).stream()
                .filter(p -> p.selectsWorkloads() && p.selects(labels)).findFirst();
        if (workload.isEmpty()) {
            return new PeerPolicy(mode, Map.of());
        }
        MtlsMode workloadMode = inherit(mode, workload);
        Map<Integer, MtlsMode> ports = new HashMap<>();
        workload.get().ports().forEach((port, portMode) -> ports.put(port, portMode == null ? workloadMode : portMode));
        return new PeerPolicy(workloadMode, ports);
    }

    private Optional<Policy> namespaceWide(String namespace) {
        return byNamespace.getOrDefault(namespace, List.of()).stream().filter(p -> !p.selectsWorkloads()).findFirst();
    }

    private static MtlsMode inherit(MtlsMode inherited, Optional<Policy> policy) {
        return policy.map(Policy::mode).orElse(inherited);
    }
}
