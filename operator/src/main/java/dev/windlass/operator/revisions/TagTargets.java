package dev.windlass.operator.revisions;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.api.v1alpha1.MeshRevision;
import dev.windlass.api.v1alpha1.MeshRevisionTag;
import dev.windlass.api.v1alpha1.MeshRevisionTagSpec;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where revision tags point: a tag on a MeshControlPlane follows its active revision (the status's, which moves
 * only once a new revision is Ready), a tag on a MeshRevision stays on it.
 */
public final class TagTargets {
    private TagTargets() {
    }

    /** The revision a tag points at, with the namespace of its discovery server; empty while the target is missing. */
    public record Target(String revision, String namespace, String controlPlane) {
    }

    public static Optional<Target> resolve(KubernetesClient client, MeshRevisionTagSpec.TargetRef ref) {
        if (ref.kind() == MeshRevisionTagSpec.TargetKind.MeshRevision) {
            MeshRevision revision = client.resources(MeshRevision.class).withName(ref.name()).get();
            return revision == null || revision.getSpec() == null || revision.getMetadata().getDeletionTimestamp() != null ? Optional.empty() : Optional.of(
                    new Target(ref.name(), revision.getSpec().namespace(), revision.getSpec().controlPlane()));
        }
        MeshControlPlane mcp = client.resources(MeshControlPlane.class).withName(ref.name()).get();
        if (mcp == null || mcp.getMetadata().getDeletionTimestamp() != null || mcp.getSpec() == null
                || mcp.getStatus() == null || mcp.getStatus().activeRevision() == null) {
            return Optional.empty();
        }
        return Optional.of(new Target(mcp.getStatus().activeRevision(), mcp.getSpec().namespace(), ref.name()));
    }

    /** Every tag's name and the revision it points at now, for the tags that point into this mesh. */
    public static Map<String, String> ofMesh(KubernetesClient client, String instance, List<MeshRevisionTag> tags) {
        Map<String, String> targets = new HashMap<>();
        for (MeshRevisionTag tag : tags) {
            if (tag.getSpec() == null || tag.getSpec().targetRef() == null) {
                continue;
            }
            resolve(client, tag.getSpec().targetRef()).filter(t -> t.controlPlane().equals(instance))
                    .ifPresent(t -> targets.put(tag.getMetadata().getName(), t.revision()));
        }
        return targets;
    }
}
