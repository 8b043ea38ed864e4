package dev.windlass.operator.install;

import dev.windlass.contract.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Map;

/** The labels that mark an object as created by this operator for one MeshControlPlane (see shared/design.md). */
public final class MeshLabels {
    public static final String MANAGED_SELECTOR = Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_OPERATOR;
    /** On a tag's webhook configuration: the MeshControlPlane the tag points into (the uninstaller deletes by it). */
    public static final String TAG_OF = "windlass.dev/tag-of";

    private MeshLabels() {
    }

    /** Everything this operator created for the named MeshControlPlane. */
    public static Map<String, String> of(String instance) {
        return Map.of(Labels.INSTANCE, instance, Labels.MANAGED_BY, Labels.MANAGED_BY_OPERATOR);
    }

    public static String instanceOf(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? null : labels.get(Labels.INSTANCE);
    }

    public static boolean isManaged(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels != null && Labels.MANAGED_BY_OPERATOR.equals(labels.get(Labels.MANAGED_BY));
    }
}
