package dev.windlass.operator.install;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;

/**
 * Brings the cluster to a plan, phase by phase: each phase is applied, and the next one only once it is ready.
 * Every call starts again from the first phase, so a restart at any point converges to the same objects.
 */
public final class MeshInstaller {
    private final ObjectApplier applier;
    private final PhaseReadiness readiness;

    public MeshInstaller(KubernetesClient client) {
        this.applier = new ObjectApplier(client);
        this.readiness = new PhaseReadiness(client);
    }

    /**
     * @param waitingFor the first phase that is not ready yet, or null when all are
     * @param message    what that phase is waiting for
     * @param workloads  every rendered Deployment's state, including those of phases not applied yet
     */
    public record Progress(InstallPhase waitingFor, String message, List<WorkloadStatus> workloads) {
        public boolean complete() {
            return waitingFor == null;
        }
    }

    public Progress install(MeshPlan plan, MeshControlPlane owner) {
        InstallPhase waitingFor = null;
        String message = "";
        for (InstallPhase phase : InstallPhase.values()) {
            List<HasMetadata> objects = plan.phase(phase);
            applier.apply(objects, owner);
            PhaseReadiness.Result result = readiness.check(objects);
            if (!result.ready()) {
                waitingFor = phase;
                message = result.message();
                break;
            }
        }
        return new Progress(waitingFor, message, workloads(plan));
    }

    /** Every rendered Deployment's live state, including those of phases not applied in this pass. */
    private List<WorkloadStatus> workloads(MeshPlan plan) {
        return plan.objects().stream().filter(Deployment.class::isInstance)
                .map(d -> readiness.workload((Deployment) d)).toList();
    }
}
