package dev.windlass.operator.install;

import java.util.TreeMap;
import java.util.stream.Collectors;
import dev.windlass.contract.Labels;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;

import java.util.Map;
import java.util.Objects;

/**
 * A Deployment's readiness as the status reports it: Available, with the current generation rolled out.
 *
 * @param name    the Deployment's name, which is also the component's name in the status
 * @param version the mesh version it runs (its version label)
 * @param failing whether its rollout is stuck (see {@link StuckPods}) rather than still on its way
 */
public record WorkloadStatus(String name, String namespace, String version, boolean ready, boolean failing, String message) {

    WorkloadStatus(String name, String namespace, String version, boolean ready, String message) {
        this(name, namespace, version, ready, false, message);
    }

    /** This not-ready workload with its stuck pods, if any, named first in the message. */
    WorkloadStatus withStuckPods(java.util.List<String> stuck) {
        return stuck.isEmpty() ? this : new WorkloadStatus(name, namespace, version, false, true,
                "Deployment " + namespace + "/" + name + " cannot roll out: " + String.join("; ", stuck) + ". " + message);
    }

    static WorkloadStatus of(Deployment rendered, Deployment live) {
        String name = rendered.getMetadata().getName();
        String namespace = rendered.getMetadata().getNamespace();
        Map<String, String> labels = rendered.getMetadata().getLabels();
        String version = labels == null ? null : labels.get(Labels.VERSION);
        String where = "Deployment " + namespace + "/" + name;
        if (live == null) {
            return new WorkloadStatus(name, namespace, version, false, where + " does not exist yet");
        }
        var status = live.getStatus();
        int desired = Objects.requireNonNullElse(live.getSpec().getReplicas(), 1);
        if (status == null) {
            return new WorkloadStatus(name, namespace, version, false, where + " has 0/" + desired + " available replicas"
                    + "; check its pods: kubectl -n " + namespace + " get pods -l " + selector(live));
        }
        DeploymentRollout rollout = DeploymentRollout.of(live);
        boolean availableCondition = status.getConditions() != null && status.getConditions().stream()
                .anyMatch(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus()));
        if (rollout.complete() && availableCondition) {
            return new WorkloadStatus(name, namespace, version, true, rollout.available() + "/" + desired + " replicas available");
        }
        // Past its progress deadline Kubernetes itself has given up on the rollout: that is a failure, not a wait.
        return new WorkloadStatus(name, namespace, version, false, progressDeadlineExceeded(status.getConditions()), where + " has " + rollout.available() + "/" + desired
                + " available replicas (" + rollout.updated() + " updated"
                + (rollout.oldReplicas() > 0 ? ", " + rollout.oldReplicas() + " of the previous spec" : "")
                + (rollout.observed() ? "" : ", latest spec not rolled out yet") + ")"
                + failure(status.getConditions()) + "; check its pods: kubectl -n " + namespace + " get pods -l " + selector(live));
    }

    private static String selector(Deployment live) {
        var selector = live.getSpec().getSelector();
        if (selector == null || selector.getMatchLabels() == null) {
            return "app=" + live.getMetadata().getName();
        }
        return new TreeMap<>(selector.getMatchLabels()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    private static boolean progressDeadlineExceeded(java.util.List<DeploymentCondition> conditions) {
        return conditions != null && conditions.stream().anyMatch(c -> "Progressing".equals(c.getType())
                && "False".equals(c.getStatus()) && "ProgressDeadlineExceeded".equals(c.getReason()));
    }

    private static String failure(java.util.List<DeploymentCondition> conditions) {
        if (conditions == null) {
            return "";
        }
        return conditions.stream()
                .filter(c -> "Progressing".equals(c.getType()) && "False".equals(c.getStatus()))
                .map(c -> ", " + c.getReason() + ": " + c.getMessage()).findFirst().orElse("");
    }
}
