package dev.windlass.api.crd;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;

import java.io.InputStream;

/** The MeshControlPlane CRD as the build generated it: a shorthand for {@link MeshCrds}. */
public final class MeshControlPlaneCrd {
    public static final String RESOURCE = "META-INF/fabric8/" + MeshControlPlane.CRD_NAME + "-v1.yml";

    private MeshControlPlaneCrd() {
    }

    public static InputStream open() {
        return MeshCrds.open(MeshControlPlane.class);
    }

    public static CustomResourceDefinition load() {
        return MeshCrds.load(MeshControlPlane.class);
    }
}
