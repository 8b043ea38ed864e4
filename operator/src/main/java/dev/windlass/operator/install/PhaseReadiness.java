package dev.windlass.operator.install;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ServiceReference;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Whether a phase's objects are ready, from the cluster's own signals: a Deployment's Available condition
 * for its current generation, and ready endpoints behind the Service a webhook calls. Never a sleep.
 */
public final class PhaseReadiness {
    private final KubernetesClient client;

    public PhaseReadiness(KubernetesClient client) {
        this.client = client;
    }

    /** @param workloads the live state of the phase's Deployments, fetched once for the readiness check */
    public record Result(boolean ready, String message, List<WorkloadStatus> workloads) {
    }

    public Result check(List<HasMetadata> objects) {
        List<String> waiting = new ArrayList<>();
        List<WorkloadStatus> workloads = new ArrayList<>();
        for (HasMetadata object : objects) {
            if (object instanceof Deployment deployment) {
                WorkloadStatus workload = workload(deployment);
                workloads.add(workload);
                if (!workload.ready()) {
                    waiting.add(workload.message());
                }
            }
        }
        for (ServiceReference service : webhookServices(objects)) {
            if (!hasReadyEndpoints(service)) {
                waiting.add("Service " + service.getNamespace() + "/" + service.getName()
                        + ", which the webhooks call, has no ready endpoints");
            }
        }
        return new Result(waiting.isEmpty(), String.join("; ", waiting), workloads);
    }

    /** The live state of a rendered Deployment. */
    public WorkloadStatus workload(Deployment rendered) {
        Deployment live = client.resource(rendered).get();
        WorkloadStatus status = WorkloadStatus.of(rendered, live);
        if (status.ready() || live == null || live.getSpec().getSelector() == null) {
            return status;
        }
        List<Pod> pods = client.pods().inNamespace(live.getMetadata().getNamespace())
                .withLabelSelector(live.getSpec().getSelector()).list().getItems();
        return status.withStuckPods(StuckPods.describe(pods));
    }

    private static Set<ServiceReference> webhookServices(List<HasMetadata> objects) {
        Set<ServiceReference> services = new LinkedHashSet<>();
        for (HasMetadata object : objects) {
            Stream<ServiceReference> refs = switch (object) {
                case MutatingWebhookConfiguration m -> m.getWebhooks().stream().map(w -> w.getClientConfig().getService());
                case ValidatingWebhookConfiguration v -> v.getWebhooks().stream().map(w -> w.getClientConfig().getService());
                default -> Stream.empty();
            };
            refs.filter(Objects::nonNull)
                    .map(r -> new ServiceReference(r.getName(), r.getNamespace(), null, null))
                    .forEach(services::add);
        }
        return services;
    }

    private boolean hasReadyEndpoints(ServiceReference service) {
        return client.discovery().v1().endpointSlices().inNamespace(service.getNamespace())
                .withLabel("kubernetes.io/service-name", service.getName()).list().getItems().stream()
                .map(EndpointSlice::getEndpoints).filter(Objects::nonNull).flatMap(List::stream)
                .anyMatch(PhaseReadiness::isReady);
    }

    /** Kubernetes reads an unknown ready condition as ready. */
    private static boolean isReady(Endpoint endpoint) {
        return endpoint.getConditions() == null || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
    }
}
