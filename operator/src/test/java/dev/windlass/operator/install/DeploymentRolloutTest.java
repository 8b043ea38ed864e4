package dev.windlass.operator.install;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeploymentRolloutTest {

    @Test
    void aRolloutWhoseNewPodsCrashIsNotCompleteWhileTheOldPodsAreStillAvailable() {
        // What the cluster showed for the discovery server mid-upgrade: 2 new pods in CrashLoopBackOff, 2 old ones serving.
        Deployment d = deployment(2, 2L, 2L, 4, 2, 2);
        assertThat(DeploymentRollout.complete(d)).isFalse();
        assertThat(DeploymentRollout.of(d).oldReplicas()).isEqualTo(2);
    }

    @Test
    void aRolloutIsCompleteWhenEveryReplicaRunsTheLatestSpecAndIsAvailable() {
        assertThat(DeploymentRollout.complete(deployment(2, 3L, 3L, 2, 2, 2))).isTrue();
    }

    @Test
    void aSpecTheControllerHasNotSeenYetIsNotRolledOut() {
        assertThat(DeploymentRollout.complete(deployment(2, 4L, 3L, 2, 2, 2))).isFalse();
    }

    @Test
    void updatedReplicasThatAreNotAvailableYetAreNotComplete() {
        assertThat(DeploymentRollout.complete(deployment(2, 3L, 3L, 2, 2, 1))).isFalse();
        assertThat(DeploymentRollout.complete(null)).isFalse();
        assertThat(DeploymentRollout.complete(new DeploymentBuilder().withNewMetadata().withGeneration(1L).endMetadata()
                .withNewSpec().withReplicas(1).endSpec().build())).isFalse();
    }

    private static Deployment deployment(int desired, long generation, long observed, int total, int updated, int available) {
        return new DeploymentBuilder().withNewMetadata().withName("windlass-discovery").withGeneration(generation).endMetadata()
                .withNewSpec().withReplicas(desired).endSpec()
                .withNewStatus().withObservedGeneration(observed).withReplicas(total).withUpdatedReplicas(updated)
                .withAvailableReplicas(available).endStatus().build();
    }
}
