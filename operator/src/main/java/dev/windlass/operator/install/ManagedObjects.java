package dev.windlass.operator.install;

import dev.windlass.api.v1alpha1.MeshRevision;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.ArrayList;
import java.util.List;

/**
 * The objects the operator creates and labels as its own, of every kind it watches for drift, prunes and
 * uninstalls.
 * The traffic-API CRDs are not here: they are shared by every mesh and never pruned.
 * A unit test checks this list against what the renderer emits for every profile.
 */
public final class ManagedObjects {
    /**
     * In uninstall order: webhooks first so new pods are never blocked, then the revisions and workloads, then
     * RBAC and the revisions' write protection, then the namespace.
     */
    public static final List<Class<? extends HasMetadata>> KINDS = List.of(
            MutatingWebhookConfiguration.class, ValidatingWebhookConfiguration.class, MeshRevision.class,
            HorizontalPodAutoscaler.class, PodDisruptionBudget.class, Deployment.class, Service.class,
            ConfigMap.class, ServiceAccount.class,
            RoleBinding.class, Role.class, ClusterRoleBinding.class, ClusterRole.class,
            ValidatingAdmissionPolicyBinding.class, ValidatingAdmissionPolicy.class,
            Namespace.class);

    private final KubernetesClient client;

    public ManagedObjects(KubernetesClient client) {
        this.client = client;
    }

    /** Every object of every managed kind that carries the instance's labels, in {@link #KINDS} order. */
    public List<HasMetadata> all(String instance) {
        List<HasMetadata> objects = new ArrayList<>();
        KINDS.forEach(kind -> objects.addAll(list(kind, instance)));
        return objects;
    }

    /** Every object of a kind that carries the instance's labels, in any namespace. */
    public List<? extends HasMetadata> list(Class<? extends HasMetadata> kind, String instance) {
        try {
            return client.resources(kind).inAnyNamespace().withLabels(MeshLabels.of(instance)).list().getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return List.of(); // a kind whose CRD is not installed (yet, or any more) has no objects
            }
            throw e;
        }
    }
}
