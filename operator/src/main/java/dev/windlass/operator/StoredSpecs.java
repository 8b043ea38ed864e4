package dev.windlass.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.api.v1alpha1.MeshControlPlane;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Optional;

/** The spec of a MeshControlPlane as stored, read without the typed model, for the objects the model cannot read. */
final class StoredSpecs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StoredSpecs() {
    }

    /**
     * Why the stored spec cannot be read; "spec: missing" when there is none. When it reads well now, it changed
     * since this copy was taken, and the change brings a new reconcile.
     */
    static Optional<String> error(KubernetesClient client, MeshControlPlane mcp) {
        GenericKubernetesResource stored = client.genericKubernetesResources(mcp.getApiVersion(), mcp.getKind())
                .withName(mcp.getMetadata().getName()).get();
        Object spec = stored == null ? null : stored.getAdditionalProperties().get("spec");
        if (spec == null) {
            return Optional.of("spec: missing");
        }
        return MeshControlPlane.specErrorOf(JSON.valueToTree(spec)).or(() -> Optional.of("spec: changed while it was read"));
    }
}
