package dev.windlass.operator;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.operator.install.MeshLabels;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * One mesh per namespace. When two MeshControlPlanes name the same namespace, the older one (by creation time,
 * then name) keeps it and the other is refused, so that the outcome never depends on reconcile order.
 */
final class NamespaceClaims {
    private NamespaceClaims() {
    }

    /** The MeshControlPlane that holds this one's namespace, when it is another one. */
    static Optional<String> ownerOfNamespace(KubernetesClient client, MeshControlPlane mcp) {
        String namespace = mcp.getSpec().namespace();
        return client.resources(MeshControlPlane.class).list().getItems().stream()
                .filter(other -> other.getSpec() != null && Objects.equals(namespace, other.getSpec().namespace()))
                .min(Comparator.comparing((MeshControlPlane m) -> m.getMetadata().getCreationTimestamp())
                        .thenComparing(m -> m.getMetadata().getName()))
                .map(m -> m.getMetadata().getName())
                .filter(owner -> !owner.equals(mcp.getMetadata().getName()));
    }

    /**
     * Whether the mesh may create (and later delete) its namespace: yes when it is absent or was created by this
     * mesh; no when a user made it, in which case the mesh only puts its objects there.
     */
    static boolean mayOwnNamespace(KubernetesClient client, MeshControlPlane mcp) {
        Namespace namespace = client.namespaces().withName(mcp.getSpec().namespace()).get();
        return namespace == null
                || MeshLabels.isManaged(namespace) && mcp.getMetadata().getName().equals(MeshLabels.instanceOf(namespace));
    }
}
