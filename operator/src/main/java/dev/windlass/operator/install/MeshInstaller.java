package dev.windlass.operator.install;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.profiles.render.InstallPhase;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings the cluster to a plan, phase by phase: each phase is applied, and the next one only once it is ready.
 * Every call starts again from the first phase, so a restart at any point converges to the same objects.
 */
public final class MeshInstaller {
    private final ObjectApplier applier;
    private final PhaseReadiness readiness;
    private final PlanValidation validation;

    public MeshInstaller(KubernetesClient client) {
        this.applier = new ObjectApplier(client);
        this.readiness = new PhaseReadiness(client);
        this.validation = new PlanValidation(client, applier);
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

    /**
     * A server-side dry run of the whole plan, for a spec not applied before. Allocations (node ports) are not
     * part of a dry run; those are refused only by {@link #install}.
     *
     * @throws ApplyRefusedException the API server's refusal, with nothing of the plan written
     */
    public void validate(MeshPlan plan, MeshControlPlane owner) {
        validation.check(plan, owner);
    }

    /** @throws ApplyRefusedException when the API server refuses a rendered object; earlier ones stay applied */
    public Progress install(MeshPlan plan, MeshControlPlane owner) {
        InstallPhase waitingFor = null;
        String message = "";
        Map<String, WorkloadStatus> checked = new HashMap<>();
        for (InstallPhase phase : InstallPhase.values()) {
            List<HasMetadata> objects = plan.phase(phase);
            applier.apply(objects, owner);
            PhaseReadiness.Result result = readiness.check(objects);
            result.workloads().forEach(w -> checked.put(w.namespace() + "/" + w.name(), w));
            if (!result.ready()) {
                waitingFor = phase;
                message = result.message();
                break;
            }
        }
        return new Progress(waitingFor, message, workloads(plan, checked));
    }

    /** Every rendered Deployment's live state; only those of phases not reached in this pass are fetched now. */
    private List<WorkloadStatus> workloads(MeshPlan plan, Map<String, WorkloadStatus> checked) {
        return plan.objects().stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .map(d -> checked.computeIfAbsent(d.getMetadata().getNamespace() + "/" + d.getMetadata().getName(),
                        key -> readiness.workload(d)))
                .toList();
    }
}
