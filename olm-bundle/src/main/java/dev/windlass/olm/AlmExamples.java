package dev.windlass.olm;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.api.v1alpha1.MeshControlPlaneSpec;
import dev.windlass.profiles.Profile;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.util.List;

/** The {@code alm-examples} annotation: one MeshControlPlane per profile, at the newest mesh version. */
final class AlmExamples {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private AlmExamples() {
    }

    static List<MeshControlPlane> examples(BundleInputs inputs) {
        String version = inputs.latestMeshVersion().version().toString();
        return inputs.profiles().stream().map(profile -> example(profile, version)).toList();
    }

    static String json(BundleInputs inputs) {
        try {
            return JSON.writeValueAsString(examples(inputs));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write alm-examples: " + e.getMessage(), e);
        }
    }

    private static MeshControlPlane example(Profile profile, String version) {
        MeshControlPlane mesh = new MeshControlPlane();
        mesh.setMetadata(new ObjectMetaBuilder().withName("windlass-" + profile.name()).build());
        mesh.setSpec(new MeshControlPlaneSpec(version, profile.name(), null, null, null, null, null, null));
        return mesh;
    }
}
