package dev.windlass.operator.runtime;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** The operator's probes, served by SmallRye Health at /q/health/live and /q/health/ready. */
@Singleton
public class OperatorHealth {
    @Produces
    @Liveness
    @Singleton
    HealthCheck liveness(OperatorState state) {
        return state::liveness;
    }

    @Produces
    @Readiness
    @Singleton
    HealthCheck readiness(OperatorState state) {
        return state::readiness;
    }
}
