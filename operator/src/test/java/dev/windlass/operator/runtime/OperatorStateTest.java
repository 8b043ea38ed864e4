package dev.windlass.operator.runtime;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class OperatorStateTest {
    private final OperatorState state = new OperatorState();
    private final AtomicBoolean started = new AtomicBoolean(true);
    private Set<String> unhealthy = Set.of();

    private final OperatorState.Runtime runtime = new OperatorState.Runtime() {
        @Override
        public boolean started() {
            return started.get();
        }

        @Override
        public Set<String> unhealthyEventSources() {
            return unhealthy;
        }
    };

    @Test
    void aStartingOperatorIsLiveButNotReady() {
        assertThat(up(state.liveness())).isTrue();
        assertThat(up(state.readiness())).isFalse();
    }

    @Test
    void aFailedStartIsNotLiveAndSaysWhy() {
        state.failed("Couldn't start informer for meshcontrolplanes: Connection refused");
        assertThat(up(state.liveness())).isFalse();
        assertThat(state.liveness().getData().orElseThrow().get("state").toString()).contains("Connection refused");
        assertThat(up(state.readiness())).isFalse();
    }

    @Test
    void aStandbyIsLiveButNotReadyUntilItLeads() {
        state.running(runtime);
        assertThat(up(state.liveness())).isTrue();
        assertThat(state.readiness().getData().orElseThrow()).containsEntry("state", "waiting to lead");
        state.leading(true);
        assertThat(up(state.readiness())).isTrue();
    }

    @Test
    void anUnhealthyEventSourceMakesTheLeaderUnready() {
        state.running(runtime);
        state.leading(true);
        unhealthy = Set.of("meshcontrolplane/Deployment");
        assertThat(up(state.readiness())).isFalse();
        assertThat(state.readiness().getData().orElseThrow().get("state").toString()).contains("meshcontrolplane/Deployment");
        assertThat(up(state.liveness())).isTrue();
    }

    @Test
    void aStoppedOperatorIsNeitherLiveNorReady() {
        state.running(runtime);
        state.leading(true);
        started.set(false); // JOSDK stopped it
        assertThat(up(state.liveness())).isFalse();
        assertThat(up(state.readiness())).isFalse();
        started.set(true);
        state.stopped(); // shutdown
        assertThat(up(state.liveness())).isFalse();
    }

    private static boolean up(HealthCheckResponse response) {
        return response.getStatus() == HealthCheckResponse.Status.UP;
    }
}
