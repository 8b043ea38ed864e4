package dev.windlass.operator.revisions;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.api.v1alpha1.MeshControlPlaneSpec;
import dev.windlass.api.v1alpha1.MeshRevision;
import dev.windlass.api.v1alpha1.MeshRevisionSpec;
import dev.windlass.api.v1alpha1.UpdateStrategy;
import dev.windlass.contract.Labels;
import dev.windlass.operator.install.MeshLabels;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.util.HashMap;
import java.util.Map;

/** The MeshRevision objects of a revision-based mesh, as the operator applies them. */
public final class RevisionObjects {
    public static final String COMPONENT = "revision";

    private RevisionObjects() {
    }

    public static boolean isRevisionBased(MeshControlPlane mcp) {
        return UpdateStrategy.isRevisionBased(mcp.getSpec().updateStrategy());
    }

    /**
     * The revision the spec asks for, recording the spec it is rendered from (after migrations).
     *
     * @param resolved the fully resolved values, for the version and namespace
     * @param spec     the MeshControlPlane's spec as rendered: what an older revision is re-rendered from later
     */
    public static MeshRevision active(MeshControlPlane mcp, String revision, MeshControlPlaneSpec resolved, MeshControlPlaneSpec spec) {
        MeshRevision object = new MeshRevision();
        object.setMetadata(new ObjectMetaBuilder().withName(revision)
                .withLabels(labels(mcp.getMetadata().getName(), revision, resolved.version())).build());
        object.setSpec(new MeshRevisionSpec(mcp.getMetadata().getName(), resolved.version(), resolved.namespace(), spec));
        return object;
    }

    /** An older revision, applied again exactly as it is (an edit by a user is put back). */
    public static MeshRevision kept(MeshRevision existing) {
        MeshRevision object = new MeshRevision();
        object.setMetadata(new ObjectMetaBuilder().withName(existing.getMetadata().getName())
                .withLabels(labels(existing.getSpec().controlPlane(), existing.getMetadata().getName(), existing.getSpec().version()))
                .build());
        object.setSpec(existing.getSpec());
        return object;
    }

    private static Map<String, String> labels(String instance, String revision, String version) {
        Map<String, String> labels = new HashMap<>(MeshLabels.of(instance));
        labels.put(Labels.COMPONENT, COMPONENT);
        labels.put(Labels.VERSION, version);
        labels.put(Labels.REVISION, revision);
        return labels;
    }
}
