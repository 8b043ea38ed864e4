package dev.windlass.operator.install;

import dev.windlass.contract.Labels;
import dev.windlass.injector.DataPlaneVersions;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Removes everything one MeshControlPlane created, found by its labels rather than by rendering (the spec may be
 * invalid by now): webhooks first, so that pod creation never calls a webhook that is gone, then workloads,
 * then RBAC, then the namespace if this mesh created it. Injected pods are never touched.
 */
public final class Uninstaller {
    private final KubernetesClient client;
    private final ManagedObjects managed;

    public Uninstaller(KubernetesClient client) {
        this.client = client;
        this.managed = new ManagedObjects(client);
    }

    /** @return the objects deleted, in deletion order */
    public List<ObjectKey> uninstall(String instance, boolean purge) {
        List<ObjectKey> deleted = new ArrayList<>();
        // Revision tags that point into this mesh stay (they are the user's), but their webhooks go first: a
        // webhook with no server behind it would block pod creation in every tagged namespace.
        for (MutatingWebhookConfiguration tagWebhook : client.admissionRegistration().v1().mutatingWebhookConfigurations()
                .withLabel(MeshLabels.TAG_OF, instance).list().getItems()) {
            client.resource(tagWebhook).delete();
            deleted.add(ObjectKey.of(tagWebhook));
        }
        for (HasMetadata object : managed.all(instance)) { // in ManagedObjects.KINDS order
            client.resource(object).delete();
            deleted.add(ObjectKey.of(object));
        }
        if (purge) {
            deleted.addAll(purgeCrds(instance));
        }
        return deleted;
    }

    private List<ObjectKey> purgeCrds(String instance) {
        List<ObjectKey> deleted = new ArrayList<>();
        for (CustomResourceDefinition crd : client.apiextensions().v1().customResourceDefinitions()
                .withLabel(Labels.COMPONENT, "traffic-api").list().getItems()) {
            Map<String, String> annotations = crd.getMetadata().getAnnotations();
            if (annotations != null && instance.equals(annotations.get(ObjectApplier.CREATED_BY_ANNOTATION))) {
                client.resource(crd).delete();
                deleted.add(ObjectKey.of(crd));
            }
        }
        return deleted;
    }

    /** Running pods that were injected by the given revision: they keep their sidecars after uninstall. */
    public List<String> injectedPods(String revision) {
        return DataPlaneVersions.of(client.pods().inAnyNamespace().withLabel(Labels.REVISION, revision).list().getItems())
                .proxies().stream().map(p -> p.namespace() + "/" + p.pod()).sorted().toList();
    }
}
