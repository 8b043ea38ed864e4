package dev.windlass.operator.install;

import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.util.Objects;

/**
 * Whether a Deployment's latest spec has rolled out, decided as {@code kubectl rollout status} does. Counting
 * available replicas alone is not enough: mid-rollout the old pods are still available while the new ones crash, so
 * a rollout is complete only when every replica runs the latest template and no old one is left.
 */
public record DeploymentRollout(int desired, int updated, int total, int available, boolean observed) {

    public static DeploymentRollout of(Deployment deployment) {
        var status = deployment.getStatus();
        int desired = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
        if (status == null) {
            return new DeploymentRollout(desired, 0, 0, 0, false);
        }
        boolean observed = status.getObservedGeneration() != null
                && status.getObservedGeneration() >= deployment.getMetadata().getGeneration();
        return new DeploymentRollout(desired, Objects.requireNonNullElse(status.getUpdatedReplicas(), 0),
                Objects.requireNonNullElse(status.getReplicas(), 0), Objects.requireNonNullElse(status.getAvailableReplicas(), 0),
                observed);
    }

    public static boolean complete(Deployment deployment) {
        return deployment != null && of(deployment).complete();
    }

    public boolean complete() {
        return observed && updated >= desired && oldReplicas() == 0 && available >= updated;
    }

    /** Replicas of an earlier template still counted by the Deployment (they go once the new ones are available). */
    public int oldReplicas() {
        return Math.max(0, total - updated);
    }
}
