package dev.windlass.operator.install;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.profiles.render.OperatorResources;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Applies rendered objects with server-side apply under one field manager, so that the operator owns exactly
 * the fields it renders: a user's edit to one of them is overwritten, and any other field (a user's own
 * annotation, the caBundle the discovery server writes) is left alone.
 */
public final class ObjectApplier {
    public static final String FIELD_MANAGER = "windlass-operator";
    /** Set on CRDs this operator created, so that a purge deletes only those. */
    public static final String CREATED_BY_ANNOTATION = "windlass.dev/created-by";
    static final String INSTALL_POLICY_ANNOTATION = "windlass.dev/install-policy";

    private final KubernetesClient client;

    public ObjectApplier(KubernetesClient client) {
        this.client = client;
    }

    /** @throws ApplyRefusedException naming the object and the field the API server refused */
    public void apply(List<HasMetadata> objects, MeshControlPlane owner) {
        for (HasMetadata object : objects) {
            try {
                if (object instanceof CustomResourceDefinition crd) {
                    createIfAbsent(crd, owner);
                } else {
                    object.getMetadata().setOwnerReferences(List.of(ownerReference(owner)));
                    deleteIfRoleRefChanged(object);
                    client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
                }
            } catch (KubernetesClientException e) {
                throw ApplyRefusedException.of(object, e);
            }
        }
    }

    /**
     * A binding's roleRef cannot change (the API server refuses the update), so a binding that now refers to another
     * role is deleted and then created anew: a gateway's binding from an earlier release, say, referred to the
     * gateway's own Role and now refers to the install's ClusterRole. Its subjects lose the old role's access for
     * that moment only.
     */
    private void deleteIfRoleRefChanged(HasMetadata object) {
        Optional<RoleRef> wanted = OperatorResources.roleRef(object);
        if (wanted.isEmpty()) {
            return;
        }
        HasMetadata existing = client.resource(object).get();
        Optional<RoleRef> current = OperatorResources.roleRef(existing);
        if (current.isPresent() && !(current.get().getKind().equals(wanted.get().getKind())
                && current.get().getName().equals(wanted.get().getName()))) {
            client.resource(existing).delete();
            client.resource(existing).waitUntilCondition(Objects::isNull, 30, TimeUnit.SECONDS);
        }
    }

    /**
     * The same apply as a server-side dry run: admission, schema and quota checks, nothing stored. CRDs are left
     * out: they are ours, and created only when absent. So are role bindings: the API server checks a binding to a
     * role the operator may not {@code bind} against that role's rules, and a role that is only dry-run does not
     * exist yet (404). Nothing in a binding comes from the spec except the mesh's name, which admission checks.
     */
    void dryRun(List<HasMetadata> objects, MeshControlPlane owner) {
        for (HasMetadata object : objects) {
            if (object instanceof CustomResourceDefinition || object instanceof RoleBinding || object instanceof ClusterRoleBinding) {
                continue;
            }
            object.getMetadata().setOwnerReferences(List.of(ownerReference(owner)));
            try {
                client.resource(object).dryRun().fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
            } catch (KubernetesClientException e) {
                throw ApplyRefusedException.of(object, e);
            }
        }
    }

    /** The traffic-API CRDs may belong to an Istio install or another mesh: create them only when absent. */
    private void createIfAbsent(CustomResourceDefinition crd, MeshControlPlane owner) {
        boolean ifAbsent = "IfAbsent".equals(annotation(crd, INSTALL_POLICY_ANNOTATION));
        if (ifAbsent && client.resource(crd).get() != null) {
            return;
        }
        Map<String, String> annotations = new HashMap<>(crd.getMetadata().getAnnotations());
        annotations.put(CREATED_BY_ANNOTATION, owner.getMetadata().getName());
        crd.getMetadata().setAnnotations(annotations);
        client.resource(crd).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }

    /** Every object is owned by the MeshControlPlane, so that garbage collection backs up the finalizer. */
    static OwnerReference ownerReference(MeshControlPlane owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true)
                .build();
    }

    private static String annotation(HasMetadata object, String key) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }
}
