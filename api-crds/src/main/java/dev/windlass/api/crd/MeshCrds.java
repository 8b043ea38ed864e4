package dev.windlass.api.crd;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.api.v1alpha1.MeshRevision;
import dev.windlass.api.v1alpha1.MeshRevisionTag;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The operator's own CRDs, as the build generated them (see {@link CrdFinisher}) into this module's jar. The
 * operator install, the OLM bundle and the tests all take them from here.
 */
public final class MeshCrds {
    /** In install order: the MeshControlPlane first, since the others refer to it. */
    public static final List<Class<? extends HasMetadata>> KINDS = List.of(MeshControlPlane.class, MeshRevision.class,
            MeshRevisionTag.class);

    private MeshCrds() {
    }

    /** The generator's file name: {@code <plural>.<group>-v1.yml}. */
    public static String fileName(Class<?> kind) {
        @SuppressWarnings("unchecked")
        String name = HasMetadata.getFullResourceName((Class<? extends HasMetadata>) kind);
        return name + "-v1.yml";
    }

    public static InputStream open(Class<? extends HasMetadata> kind) {
        String resource = "META-INF/fabric8/" + fileName(kind);
        InputStream in = MeshCrds.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException(resource + " is missing from the classpath; build api-crds first");
        }
        return in;
    }

    public static CustomResourceDefinition load(Class<? extends HasMetadata> kind) {
        try (InputStream in = open(kind)) {
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every CRD, in install order. */
    public static List<CustomResourceDefinition> all() {
        return KINDS.stream().map(MeshCrds::load).toList();
    }
}
