package dev.windlass.operator.revisions;

import dev.windlass.api.v1alpha1.MeshRevision;
import dev.windlass.api.v1alpha1.MeshRevisionStatus;
import dev.windlass.contract.Labels;
import dev.windlass.contract.Revisions;
import dev.windlass.operator.conditions.MeshConditions;
import dev.windlass.operator.install.ObjectApplier;
import dev.windlass.operator.install.WorkloadStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Writes each MeshRevision's status: Ready from its discovery server, InUse and the proxy count from the pods. */
public final class RevisionStatuses {
    public static final String READY = "Ready";
    private static final List<String> TYPES = List.of(READY, InactiveRevisions.IN_USE);

    private final KubernetesClient client;

    public RevisionStatuses(KubernetesClient client) {
        this.client = client;
    }

    /** @return the status written, for the MeshControlPlane's revision counts */
    public MeshRevisionStatus write(MeshRevision revision, List<WorkloadStatus> workloads, Map<String, Long> proxiesPerRevision) {
        String name = revision.getMetadata().getName();
        String discovery = Revisions.discoveryName(name);
        WorkloadStatus server = workloads.stream().filter(w -> w.name().equals(discovery)).findFirst().orElse(null);
        long proxies = Objects.requireNonNullElse(proxiesPerRevision.get(name), 0L);
        long generation = Objects.requireNonNullElse(revision.getMetadata().getGeneration(), 1L);
        MeshConditions conditions = new MeshConditions(revision.getStatus() == null ? null : revision.getStatus().conditions(),
                generation, TYPES)
                .set(READY, server != null && server.ready(), server != null && server.ready() ? "Ready" : "DiscoveryNotAvailable",
                        server == null ? "Deployment " + discovery + " is not rendered" : server.message())
                .set(InactiveRevisions.IN_USE, proxies > 0, proxies > 0 ? "PodsUseRevision" : "NoPods",
                        proxies + " running pods carry " + Labels.REVISION + "=" + name);
        MeshRevisionStatus status = new MeshRevisionStatus(generation, conditions.build(), (int) proxies);
        if (!status.equals(revision.getStatus())) {
            MeshRevision patch = new MeshRevision();
            patch.setMetadata(new ObjectMetaBuilder().withName(name).build());
            patch.setStatus(status);
            client.resource(patch).subresource("status").patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
                    .withFieldManager(ObjectApplier.FIELD_MANAGER).withForce(true).build());
        }
        return status;
    }

    public static boolean isReady(MeshRevisionStatus status) {
        return status.conditions().stream().anyMatch(c -> READY.equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
