package dev.windlass.operator.install;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one MeshControlPlane should look like in the cluster: the rendered objects, plus the facts the status
 * reports about them.
 */
public record MeshPlan(String instance, String namespace, String revision, String version, String profile,
                       List<HasMetadata> objects) {
    public MeshPlan {
        objects = List.copyOf(objects);
    }

    public List<HasMetadata> phase(InstallPhase phase) {
        return objects.stream().filter(o -> InstallPhase.of(o) == phase).toList();
    }

    public Set<ObjectKey> keys() {
        return objects.stream().map(ObjectKey::of).collect(Collectors.toUnmodifiableSet());
    }
}
