package dev.windlass.operator.install;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.List;

/**
 * Puts a whole plan through the API server as a dry run before the first write of a spec change, so that a value
 * the server refuses (a bad label, a node port out of range) is reported before anything changed, instead of
 * leaving a mesh half-applied. Objects in a namespace that does not exist yet cannot be dry-run, so such
 * namespaces are created first and deleted again when the plan is refused.
 */
final class PlanValidation {
    private final KubernetesClient client;
    private final ObjectApplier applier;

    PlanValidation(KubernetesClient client, ObjectApplier applier) {
        this.client = client;
        this.applier = applier;
    }

    /** @throws ApplyRefusedException the first refusal, with nothing of the plan left behind */
    void check(MeshPlan plan, MeshControlPlane owner) {
        List<Namespace> created = createMissingNamespaces(plan, owner);
        try {
            applier.dryRun(plan.objects().stream().filter(o -> !(o instanceof Namespace)).toList(), owner);
        } catch (ApplyRefusedException e) {
            created.forEach(namespace -> client.resource(namespace).delete());
            throw e;
        }
    }

    private List<Namespace> createMissingNamespaces(MeshPlan plan, MeshControlPlane owner) {
        List<Namespace> created = new ArrayList<>();
        for (HasMetadata object : plan.objects()) {
            if (object instanceof Namespace namespace && client.namespaces().withName(namespace.getMetadata().getName()).get() == null) {
                applier.apply(List.of(namespace), owner);
                created.add(namespace);
            }
        }
        return created;
    }
}
