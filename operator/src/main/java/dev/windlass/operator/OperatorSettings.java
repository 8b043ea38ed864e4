package dev.windlass.operator;

import java.util.Map;
import java.util.Optional;

/**
 * The operator's configuration, from its environment (the Deployment sets these).
 *
 * @param platform       a platform overlay from profiles/ (kind, local) for clusters without LoadBalancers
 * @param leaseNamespace where the leader-election Lease lives: the operator's own namespace
 * @param identity       this replica's name in the Lease: its pod name
 * @param httpPort       probes (/healthz, /readyz) and Prometheus metrics (/metrics)
 */
public record OperatorSettings(Optional<String> platform, String leaseNamespace, String identity, int httpPort) {
    public static final String LEASE_NAME = "windlass-operator-leader";

    public static OperatorSettings from(Map<String, String> env) {
        return new OperatorSettings(
                Optional.ofNullable(env.get("WINDLASS_PLATFORM")).filter(p -> !p.isBlank()),
                env.getOrDefault("POD_NAMESPACE", "windlass-operator"),
                env.getOrDefault("POD_NAME", "windlass-operator-" + ProcessHandle.current().pid()),
                Integer.parseInt(env.getOrDefault("WINDLASS_HTTP_PORT", "8080")));
    }
}
