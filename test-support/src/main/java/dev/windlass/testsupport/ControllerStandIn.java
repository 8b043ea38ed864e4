package dev.windlass.testsupport;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Tier 2 runs on a bare kube-apiserver: no controller-manager and no kubelet, so no Deployment ever becomes
 * Available and no Service gets endpoints. This stand-in plays those parts, in the open: for every Deployment
 * it reports its latest generation rolled out and Available, and for every Service it publishes an EndpointSlice
 * with one ready endpoint, labelled as the EndpointSlice controller does. A namespace can be held back to
 * show what the operator does while a workload is not ready. Tier 3 has the real controllers.
 */
public final class ControllerStandIn implements AutoCloseable {
    private final KubernetesClient client;
    private final Set<String> heldBack = ConcurrentHashMap.newKeySet();
    private final SharedIndexInformer<Deployment> deployments;
    private final SharedIndexInformer<Service> services;

    public ControllerStandIn(KubernetesClient client) {
        this.client = client;
        this.deployments = client.apps().deployments().inAnyNamespace().inform(handler(this::rollOut, d -> { }));
        this.services = client.services().inAnyNamespace().inform(handler(this::publishEndpoints, this::withdrawEndpoints));
    }

    /** Workloads in this namespace stay unavailable until {@link #release}. */
    public void holdBack(String namespace) {
        heldBack.add(namespace);
    }

    public void release(String namespace) {
        heldBack.remove(namespace);
        deployments.getStore().list().stream().filter(d -> namespace.equals(d.getMetadata().getNamespace())).forEach(this::rollOut);
        services.getStore().list().stream().filter(s -> namespace.equals(s.getMetadata().getNamespace())).forEach(this::publishEndpoints);
    }

    private void rollOut(Deployment deployment) {
        if (heldBack.contains(deployment.getMetadata().getNamespace()) || deployment.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        long generation = deployment.getMetadata().getGeneration();
        if (deployment.getStatus() != null && Objects.equals(deployment.getStatus().getObservedGeneration(), generation)) {
            return;
        }
        int replicas = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
        deployment.setStatus(new DeploymentStatusBuilder().withObservedGeneration(generation)
                .withReplicas(replicas).withUpdatedReplicas(replicas).withReadyReplicas(replicas).withAvailableReplicas(replicas)
                .withConditions(new DeploymentConditionBuilder().withType("Available").withStatus("True")
                        .withReason("MinimumReplicasAvailable").build())
                .build());
        ignoreConflicts(() -> client.resource(deployment).updateStatus());
    }

    private void publishEndpoints(Service service) {
        if (heldBack.contains(service.getMetadata().getNamespace()) || service.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        Map<String, String> labels = new HashMap<>(Objects.requireNonNullElse(service.getMetadata().getLabels(), Map.of()));
        labels.put("kubernetes.io/service-name", service.getMetadata().getName());
        var slice = new EndpointSliceBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(sliceName(service))
                        .withNamespace(service.getMetadata().getNamespace()).withLabels(labels).build())
                .withAddressType("IPv4")
                .addNewEndpoint().withAddresses("10.244.0.99").withNewConditions().withReady(true).endConditions().endEndpoint()
                .build();
        ignoreConflicts(() -> client.resource(slice).serverSideApply());
    }

    /** As garbage collection would: the slice goes with its Service. */
    private void withdrawEndpoints(Service service) {
        ignoreConflicts(() -> client.discovery().v1().endpointSlices().inNamespace(service.getMetadata().getNamespace())
                .withName(sliceName(service)).delete());
    }

    private static String sliceName(Service service) {
        return service.getMetadata().getName() + "-standin";
    }

    private static void ignoreConflicts(Runnable write) {
        try {
            write.run();
        } catch (KubernetesClientException e) {
            // A newer version arrived meanwhile (or the object went away): the informer brings it round again.
        }
    }

    private static <T> ResourceEventHandler<T> handler(Consumer<T> onChange, Consumer<T> onDelete) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                onChange.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                onChange.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                onDelete.accept(obj);
            }
        };
    }

    @Override
    public void close() {
        deployments.close();
        services.close();
    }
}
