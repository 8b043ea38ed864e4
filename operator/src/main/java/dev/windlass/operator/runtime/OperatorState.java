package dev.windlass.operator.runtime;

import io.javaoperatorsdk.operator.RuntimeInfo;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheckResponse;

import java.util.Map;
import java.util.TreeSet;
import java.util.Set;

/**
 * Whether the operator runs, for the probes. Liveness is down once the operator failed to start or stopped, so
 * that Kubernetes restarts the pod instead of leaving a process up that reconciles nothing. Readiness needs the
 * operator started, this replica leading (a standby waiting for the lease is not ready, so that {@code kubectl
 * rollout status} shows which one works) and every event source healthy.
 */
@Singleton
public class OperatorState {
    /** What the probes need of JOSDK's {@link RuntimeInfo}. */
    public interface Runtime {
        boolean started();

        /** The unhealthy event sources, as {@code controller/source}. */
        Set<String> unhealthyEventSources();

        static Runtime of(RuntimeInfo info) {
            return new Runtime() {
                @Override
                public boolean started() {
                    return info.isStarted();
                }

                @Override
                public Set<String> unhealthyEventSources() {
                    Set<String> names = new TreeSet<>();
                    for (Map.Entry<String, ? extends Map<String, ?>> controller : info.unhealthyEventSources().entrySet()) {
                        controller.getValue().keySet().forEach(source -> names.add(controller.getKey() + "/" + source));
                    }
                    return names;
                }
            };
        }
    }

    private enum Phase { STARTING, RUNNING, FAILED, STOPPED }

    private volatile Phase phase = Phase.STARTING;
    private volatile Runtime runtime;
    private volatile boolean leading;
    private volatile String failure = "";

    public void running(Runtime started) {
        runtime = started;
        phase = Phase.RUNNING;
    }

    public void failed(String reason) {
        failure = reason;
        phase = Phase.FAILED;
    }

    public void stopped() {
        phase = Phase.STOPPED;
    }

    public void leading(boolean isLeader) {
        leading = isLeader;
    }

    public HealthCheckResponse liveness() {
        var response = HealthCheckResponse.named("operator");
        return switch (phase) {
            case STARTING -> response.up().withData("state", "starting").build();
            case RUNNING -> runtime.started() ? response.up().withData("state", "running").build()
                    : response.down().withData("state", "the operator stopped").build();
            case FAILED -> response.down().withData("state", "failed to start: " + failure).build();
            case STOPPED -> response.down().withData("state", "stopped").build();
        };
    }

    public HealthCheckResponse readiness() {
        var response = HealthCheckResponse.named("operator");
        if (phase != Phase.RUNNING || !runtime.started()) {
            return response.down().withData("state", phase.name().toLowerCase()).build();
        }
        if (!leading) {
            return response.down().withData("state", "waiting to lead").build();
        }
        Set<String> unhealthy = runtime.unhealthyEventSources();
        return unhealthy.isEmpty() ? response.up().withData("state", "leading").build()
                : response.down().withData("state", "unhealthy event sources: " + String.join(", ", unhealthy)).build();
    }
}
