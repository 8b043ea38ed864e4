package dev.windlass.operator.install;

import dev.windlass.profiles.render.MeshContext;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Map;

/** The labels that mark an object as created by this operator for one MeshControlPlane (see shared/design.md). */
public final class MeshLabels {
    public static final String MANAGED_SELECTOR = MeshContext.MANAGED_BY_LABEL + "=" + MeshContext.MANAGED_BY;

    private MeshLabels() {
    }

    /** Everything this operator created for the named MeshControlPlane. */
    public static Map<String, String> of(String instance) {
        return Map.of(MeshContext.INSTANCE_LABEL, instance, MeshContext.MANAGED_BY_LABEL, MeshContext.MANAGED_BY);
    }

    public static String instanceOf(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? null : labels.get(MeshContext.INSTANCE_LABEL);
    }

    public static boolean isManaged(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels != null && MeshContext.MANAGED_BY.equals(labels.get(MeshContext.MANAGED_BY_LABEL));
    }
}
