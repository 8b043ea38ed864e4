package dev.windlass.operator.install;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Deletes what a MeshControlPlane's labels claim but its plan no longer renders: the egress gateway and add-ons
 * after a switch from demo to default, for example. The labels are the only record; there is no release storage.
 */
public final class Pruner {
    private final KubernetesClient client;
    private final ManagedObjects managed;

    public Pruner(KubernetesClient client) {
        this.client = client;
        this.managed = new ManagedObjects(client);
    }

    /** @return the objects deleted */
    public List<ObjectKey> prune(String instance, Set<ObjectKey> wanted) {
        List<ObjectKey> deleted = new ArrayList<>();
        for (HasMetadata existing : managed.all(instance)) {
            ObjectKey key = ObjectKey.of(existing);
            if (!wanted.contains(key) && existing.getMetadata().getDeletionTimestamp() == null) {
                client.resource(existing).delete();
                deleted.add(key);
            }
        }
        return deleted;
    }
}
