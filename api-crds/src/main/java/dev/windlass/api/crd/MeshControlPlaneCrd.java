package dev.windlass.api.crd;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The MeshControlPlane CRD as the build generated it (see {@link CrdFinisher}), from this module's jar. */
public final class MeshControlPlaneCrd {
    public static final String RESOURCE = "META-INF/fabric8/" + MeshControlPlane.CRD_NAME + "-v1.yml";

    private MeshControlPlaneCrd() {
    }

    public static InputStream open() {
        InputStream in = MeshControlPlaneCrd.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException(RESOURCE + " is missing from the classpath; build api-crds first");
        }
        return in;
    }

    public static CustomResourceDefinition load() {
        try (InputStream in = open()) {
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
