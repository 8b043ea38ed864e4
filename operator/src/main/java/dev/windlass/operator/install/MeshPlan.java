package dev.windlass.operator.install;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one MeshControlPlane should look like in the cluster: the rendered objects, plus the facts the status
 * reports about them.
 *
 * @param revision         the revision this spec asks for: {@code default} for in-place meshes
 * @param olderRevisions   the revisions of a revision-based mesh kept running beside it (their objects are in
 *                         {@code objects} too)
 * @param migrations       the values migrations applied to the spec, one line each
 */
public record MeshPlan(String instance, String namespace, String revision, String version, String profile,
                       List<HasMetadata> objects, List<String> olderRevisions, List<String> migrations) {
    public MeshPlan {
        objects = List.copyOf(objects);
        olderRevisions = List.copyOf(olderRevisions);
        migrations = List.copyOf(migrations);
    }

    public List<HasMetadata> phase(InstallPhase phase) {
        return objects.stream().filter(o -> InstallPhase.of(o) == phase).toList();
    }

    public Set<ObjectKey> keys() {
        return objects.stream().map(ObjectKey::of).collect(Collectors.toUnmodifiableSet());
    }
}
