package dev.windlass.operator.install;

import dev.windlass.profiles.render.InstallPhase;
import dev.windlass.profiles.render.RenderedMesh;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one MeshControlPlane should look like in the cluster: the rendered objects in their install phases, plus
 * the facts the status reports about them.
 *
 * @param revision         the revision this spec asks for: {@code default} for in-place meshes
 * @param olderRevisions   the revisions of a revision-based mesh kept running beside it (their objects are in
 *                         {@code objects} too)
 * @param migrations       the values migrations applied to the spec, one line each
 */
public record MeshPlan(String instance, String namespace, String revision, String version, String profile,
                       RenderedMesh mesh, List<String> olderRevisions, List<String> migrations) {
    public MeshPlan {
        olderRevisions = List.copyOf(olderRevisions);
        migrations = List.copyOf(migrations);
    }

    /** Every object, in render order. */
    public List<HasMetadata> objects() {
        return mesh.objects();
    }

    public List<HasMetadata> phase(InstallPhase phase) {
        return mesh.phase(phase);
    }

    public Set<ObjectKey> keys() {
        return objects().stream().map(ObjectKey::of).collect(Collectors.toUnmodifiableSet());
    }
}
