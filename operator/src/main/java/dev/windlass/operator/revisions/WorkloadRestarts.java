package dev.windlass.operator.revisions;

import dev.windlass.contract.Labels;
import dev.windlass.contract.Revisions;
import dev.windlass.injector.DataPlaneVersions;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.OwnerReference;
import dev.windlass.operator.install.DeploymentRollout;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Moves workloads to a new revision ({@code spec.updateStrategy.updateWorkloads}): the Deployments whose pods run an
 * older revision of the mesh, in namespaces whose labels now select the active one (directly or through a tag),
 * are restarted a batch at a time; the next batch waits until the last one has rolled out. Each Deployment is
 * marked with the revision it was restarted for, so a restart of the operator never restarts it twice.
 */
public final class WorkloadRestarts {
    public static final String RESTARTED_FOR = "windlass.dev/restarted-for-revision";
    static final int BATCH = 3;

    private final KubernetesClient client;

    public WorkloadRestarts(KubernetesClient client) {
        this.client = client;
    }

    /** What is left to move, and what was restarted in this pass. */
    public record Report(Set<String> pending, List<String> restarted) {
        public String describe(String active, boolean automatic) {
            if (pending.isEmpty()) {
                return "";
            }
            return pending.size() + " Deployments still run an older revision in namespaces that select " + active + ": "
                    + String.join(", ", pending) + (automatic ? "; restarting them " + BATCH + " at a time"
                    : "; restart them (kubectl rollout restart) to move them, or set spec.updateStrategy.updateWorkloads");
        }
    }

    /**
     * @param olderRevisions the mesh's older revisions
     * @param tags           tag name → the revision it points at
     * @param restart        whether to restart (updateWorkloads), or only report
     */
    public Report update(String active, Set<String> olderRevisions, Map<String, String> tags, DataPlaneVersions proxies,
                         boolean restart) {
        Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
        Set<String> pending = new TreeSet<>();
        for (DataPlaneVersions.Proxy proxy : proxies.proxies()) {
            if (!olderRevisions.contains(proxy.revision())) {
                continue;
            }
            Map<String, String> labels = namespaceLabels.computeIfAbsent(proxy.namespace(), this::labelsOf);
            if (selects(labels, tags).filter(active::equals).isPresent()) {
                deploymentOf(proxy).ifPresent(d -> pending.add(proxy.namespace() + "/" + d));
            }
        }
        if (!restart || pending.isEmpty() || batchInProgress(pending, active)) {
            return new Report(pending, List.of());
        }
        List<String> batch = pending.stream().filter(d -> !restartedFor(d, active)).limit(BATCH).toList();
        batch.forEach(d -> restartDeployment(d, active));
        return new Report(pending, batch);
    }

    /** The revision a namespace's labels select now, tags resolved; empty when it selects none. */
    static Optional<String> selects(Map<String, String> labels, Map<String, String> tags) {
        String injection = labels.get(Labels.NAMESPACE_INJECTION);
        String wanted = injection != null ? ("enabled".equals(injection) ? Revisions.DEFAULT : null)
                : labels.get(Labels.REVISION);
        return Optional.ofNullable(wanted).map(w -> tags.getOrDefault(w, w));
    }

    private Map<String, String> labelsOf(String namespace) {
        Namespace ns = client.namespaces().withName(namespace).get();
        return ns == null || ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels();
    }

    private Optional<String> deploymentOf(DataPlaneVersions.Proxy proxy) {
        var pod = client.pods().inNamespace(proxy.namespace()).withName(proxy.pod()).get();
        Optional<OwnerReference> replicaSet = pod == null ? Optional.empty() : controller(pod.getMetadata().getOwnerReferences(), "ReplicaSet");
        if (replicaSet.isEmpty()) {
            return Optional.empty();
        }
        ReplicaSet rs = client.apps().replicaSets().inNamespace(proxy.namespace()).withName(replicaSet.get().getName()).get();
        return rs == null ? Optional.empty() : controller(rs.getMetadata().getOwnerReferences(), "Deployment").map(OwnerReference::getName);
    }

    private static Optional<OwnerReference> controller(List<OwnerReference> owners, String kind) {
        return Objects.requireNonNullElse(owners, List.<OwnerReference>of()).stream()
                .filter(o -> kind.equals(o.getKind()) && Boolean.TRUE.equals(o.getController())).findFirst();
    }

    /** A Deployment restarted for this revision that has not finished rolling out holds the next batch back. */
    private boolean batchInProgress(Set<String> pending, String active) {
        return pending.stream().map(this::deployment).filter(Objects::nonNull)
                .anyMatch(d -> active.equals(annotation(d)) && !DeploymentRollout.complete(d));
    }

    private boolean restartedFor(String key, String active) {
        Deployment deployment = deployment(key);
        return deployment == null || active.equals(annotation(deployment));
    }

    private void restartDeployment(String key, String active) {
        String[] parts = key.split("/", 2);
        client.apps().deployments().inNamespace(parts[0]).withName(parts[1]).edit(d -> {
            Map<String, String> annotations = new HashMap<>(Objects.requireNonNullElse(d.getSpec().getTemplate().getMetadata().getAnnotations(), Map.of()));
            annotations.put(RESTARTED_FOR, active);
            annotations.put("kubectl.kubernetes.io/restartedAt", Instant.now().toString());
            d.getSpec().getTemplate().getMetadata().setAnnotations(annotations);
            return d;
        });
    }

    private Deployment deployment(String key) {
        String[] parts = key.split("/", 2);
        return client.apps().deployments().inNamespace(parts[0]).withName(parts[1]).get();
    }

    private static String annotation(Deployment deployment) {
        var annotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(RESTARTED_FOR);
    }
}
