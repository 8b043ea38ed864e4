package dev.windlass.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/**
 * The operator's configuration, {@code windlass.operator.*} from SmallRye Config: application.properties reads the
 * variables the Deployment sets (WINDLASS_PLATFORM, POD_NAMESPACE, POD_NAME), and WINDLASS_OPERATOR_PLATFORM etc.
 * override them.
 */
@ConfigMapping(prefix = "windlass.operator")
public interface OperatorSettings {
    String LEASE_NAME = "windlass-operator-leader";

    /** A platform overlay from profiles/ (kind, local) for clusters without LoadBalancers. */
    Optional<String> platform();

    /** Where the leader-election Lease lives: the operator's own namespace. */
    @WithDefault("windlass-operator")
    String leaseNamespace();

    /** This replica's name in the Lease: its pod name. */
    Optional<String> identity();

    /** The identity, or one made from the process id outside a pod. */
    default String identityOrPid() {
        return identity().orElse("windlass-operator-" + ProcessHandle.current().pid());
    }
}
