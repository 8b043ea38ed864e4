package dev.windlass.cli;

import dev.windlass.profiles.render.OperatorResources;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The operator's Deployment, as install sees it while it waits: running, or what its pods wait for. A pull that
 * failed again after the kubelet's back-off is taken as permanent, so install stops at once instead of at its timeout.
 */
final class OperatorWatch {
    /** The first pull and one retry after the back-off (10 s): enough to tell a dead registry from a blip. */
    static final int PERMANENT_AFTER_FAILED_PULLS = 2;
    private static final String NAMESPACE = OperatorResources.NAMESPACE;

    private final KubernetesClient client;
    private final Map<String, String> lastLines = new HashMap<>();

    /** @param failure why the operator can never start as it is, when that is known */
    record State(boolean available, List<String> waitingFor, Optional<String> failure) {
    }

    OperatorWatch(KubernetesClient client) {
        this.client = client;
    }

    State check() {
        Deployment deployment = deployment();
        if (deployment == null) {
            return new State(false, List.of("the Deployment " + NAMESPACE + "/" + OperatorResources.NAME + " does not exist"), Optional.empty());
        }
        if (deployment.getStatus() != null && Objects.requireNonNullElse(deployment.getStatus().getAvailableReplicas(), 0) > 0) {
            return new State(true, List.of(), Optional.empty());
        }
        List<Pod> pods = pods(deployment);
        List<String> lines = new ArrayList<>();
        pods.forEach(pod -> lines.addAll(PodDiagnosis.describe(pod, this::lastLine)));
        if (pods.isEmpty()) {
            lines.add("no pod yet" + replicaFailure(deployment).map(m -> ": " + m).orElse(""));
        }
        Optional<String> failure = pods.stream().flatMap(pod -> PodDiagnosis.pullFailures(pod).stream())
                .filter(f -> !f.retryable() || failedPulls(events(f.pod())) >= PERMANENT_AFTER_FAILED_PULLS)
                .findFirst().map(f -> "pod " + f.pod() + ": container " + f.container() + " cannot get image " + f.image()
                        + (f.retryable() ? " (pulled " + PERMANENT_AFTER_FAILED_PULLS + " times, failed each time)" : "")
                        + ": " + f.message());
        return new State(false, lines, failure);
    }

    /**
     * Deletes operator pods that wait in the kubelet's pull back-off (up to 5 minutes), for instance from an earlier
     * install before the image was loaded: their replacements pull at once.
     */
    void restartPendingPulls(PrintWriter out) {
        Deployment deployment = deployment();
        if (deployment == null) {
            return;
        }
        for (Pod pod : pods(deployment)) {
            if (PodDiagnosis.pullFailures(pod).stream().anyMatch(PodDiagnosis.PullFailure::retryable)) {
                client.pods().inNamespace(NAMESPACE).withName(pod.getMetadata().getName()).delete();
                out.println("restarted the operator pod " + pod.getMetadata().getName() + ", which was waiting to pull its image again");
            }
        }
    }

    /** How many times the kubelet reported a failed pull for the pod; its events aggregate repeats in a count. */
    static int failedPulls(List<Event> events) {
        return events.stream().filter(e -> "Failed".equals(e.getReason()) && e.getMessage() != null
                        && e.getMessage().startsWith("Failed to pull image"))
                .mapToInt(e -> Math.max(Objects.requireNonNullElse(e.getCount(), 1),
                        e.getSeries() == null ? 0 : Objects.requireNonNullElse(e.getSeries().getCount(), 0)))
                .sum();
    }

    private Deployment deployment() {
        return client.apps().deployments().inNamespace(NAMESPACE).withName(OperatorResources.NAME).get();
    }

    private List<Pod> pods(Deployment deployment) {
        return client.pods().inNamespace(NAMESPACE).withLabels(deployment.getSpec().getSelector().getMatchLabels()).list().getItems();
    }

    private List<Event> events(String pod) {
        return client.v1().events().inNamespace(NAMESPACE).withField("involvedObject.name", pod).list().getItems();
    }

    private static Optional<String> replicaFailure(Deployment deployment) {
        List<DeploymentCondition> conditions = deployment.getStatus() == null ? null : deployment.getStatus().getConditions();
        return Objects.requireNonNullElse(conditions, List.<DeploymentCondition>of()).stream()
                .filter(c -> "ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus()))
                .map(DeploymentCondition::getMessage).findFirst();
    }

    /** Fetched once per restart of a container, not on every poll. */
    private String lastLine(Pod pod, String container) {
        int restarts = pod.getStatus().getContainerStatuses().stream().filter(s -> s.getName().equals(container))
                .mapToInt(s -> Objects.requireNonNullElse(s.getRestartCount(), 0)).findFirst().orElse(0);
        String key = pod.getMetadata().getName() + "/" + container + "/" + restarts;
        return lastLines.computeIfAbsent(key, k -> fetchLastLine(pod.getMetadata().getName(), container));
    }

    private String fetchLastLine(String pod, String container) {
        try {
            String log = client.pods().inNamespace(NAMESPACE).withName(pod).inContainer(container)
                    .withReadyWaitTimeout(0).terminated().tailingLines(20).getLog();
            return PodDiagnosis.lastLogLine(log);
        } catch (KubernetesClientException e) {
            String why = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
            return "(its log cannot be read: " + why + ")";
        }
    }
}
