package dev.windlass.operator.revisions;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.api.v1alpha1.MeshControlPlaneStatus;
import dev.windlass.api.v1alpha1.MeshRevision;
import dev.windlass.api.v1alpha1.MeshRevisionStatus;
import dev.windlass.api.v1alpha1.MeshRevisionTag;
import dev.windlass.api.v1alpha1.UpdateStrategy;
import dev.windlass.contract.Labels;
import dev.windlass.contract.Revisions;
import dev.windlass.injector.DataPlaneVersions;
import dev.windlass.operator.install.MeshInstaller;
import dev.windlass.operator.install.MeshLabels;
import dev.windlass.operator.install.MeshPlan;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The revisions of one MeshControlPlane during a reconcile: which older ones are kept (read before planning), then,
 * once the plan is applied, their statuses, the workloads still to move, and the data-plane counts.
 * An in-place mesh has one revision, {@code default}, and no MeshRevision objects.
 */
public final class RevisionLifecycle {
    private final KubernetesClient client;
    private final MeshControlPlane mcp;
    private final String instance;
    private final List<MeshRevision> existing;
    private final Map<String, String> tags;
    private final DataPlaneVersions proxies;
    private InactiveRevisions.Decision decision;

    public RevisionLifecycle(KubernetesClient client, MeshControlPlane mcp) {
        this.client = client;
        this.mcp = mcp;
        this.instance = mcp.getMetadata().getName();
        boolean revisionBased = RevisionObjects.isRevisionBased(mcp);
        this.existing = revisionBased
                ? client.resources(MeshRevision.class).withLabels(MeshLabels.of(instance)).list().getItems() : List.of();
        this.tags = revisionBased
                ? TagTargets.ofMesh(client, instance, client.resources(MeshRevisionTag.class).list().getItems()) : Map.of();
        this.proxies = DataPlaneVersions.of(client.pods().inAnyNamespace().withLabel(Labels.REVISION).list().getItems());
    }

    /** The older revisions to keep running: every one but those whose grace period is over. */
    public List<MeshRevision> olderToKeep() {
        String active = Revisions.revisionName(instance, mcp.getSpec().version());
        List<MeshRevision> older = existing.stream().filter(r -> !r.getMetadata().getName().equals(active)).toList();
        boolean activeReady = mcp.getStatus() != null && active.equals(mcp.getStatus().activeRevision());
        Set<String> inUse = proxies.proxies().stream().map(DataPlaneVersions.Proxy::revision).collect(Collectors.toSet());
        decision = InactiveRevisions.decide(older, activeReady, new HashSet<>(tags.values()), inUse, grace(), Instant.now());
        return decision.kept();
    }

    /** What the MeshControlPlane's status reports about its revisions and proxies. */
    public record Outcome(MeshControlPlaneStatus.Revisions revisions, List<MeshControlPlaneStatus.ProxyCount> dataPlane,
                          String pendingWorkloads, List<String> expired, Optional<Duration> recheck) {
    }

    public Outcome afterInstall(MeshPlan plan, MeshInstaller.Progress progress) {
        Set<String> revisions = new HashSet<>(plan.olderRevisions());
        revisions.add(plan.revision());
        DataPlaneVersions own = proxies.filter(p -> revisions.contains(p.revision()));
        List<MeshControlPlaneStatus.ProxyCount> counts = own.counts().entrySet().stream()
                .map(e -> new MeshControlPlaneStatus.ProxyCount(e.getKey(), e.getValue().intValue())).toList();
        if (!RevisionObjects.isRevisionBased(mcp)) {
            return new Outcome(new MeshControlPlaneStatus.Revisions(1, progress.complete() ? 1 : 0, own.proxies().isEmpty() ? 0 : 1),
                    counts, "", List.of(), Optional.empty());
        }
        Map<String, Long> perRevision = own.proxies().stream()
                .collect(Collectors.groupingBy(DataPlaneVersions.Proxy::revision, Collectors.counting()));
        List<MeshRevisionStatus> statuses = new ArrayList<>();
        RevisionStatuses writer = new RevisionStatuses(client);
        for (MeshRevision revision : existing) {
            if (revisions.contains(revision.getMetadata().getName())) {
                statuses.add(writer.write(revision, progress.workloads(), perRevision));
            }
        }
        String pending = progress.complete() ? moveWorkloads(plan) : "";
        int ready = (int) statuses.stream().filter(RevisionStatuses::isReady).count();
        int inUse = (int) statuses.stream().filter(s -> Objects.requireNonNullElse(s.proxies(), 0) > 0).count();
        return new Outcome(new MeshControlPlaneStatus.Revisions(revisions.size(), ready, inUse), counts, pending,
                decision == null ? List.of() : decision.expired(), decision == null ? Optional.empty() : decision.recheck());
    }

    private String moveWorkloads(MeshPlan plan) {
        boolean automatic = Boolean.TRUE.equals(strategy().map(UpdateStrategy::updateWorkloads).orElse(null));
        WorkloadRestarts.Report report = new WorkloadRestarts(client)
                .update(plan.revision(), Set.copyOf(plan.olderRevisions()), tags, proxies, automatic);
        return report.describe(plan.revision(), automatic);
    }

    private Duration grace() {
        return Duration.ofSeconds(strategy().map(UpdateStrategy::inactiveRevisionDeletionGracePeriodSeconds)
                .orElse(UpdateStrategy.DEFAULT_GRACE_PERIOD_SECONDS));
    }

    private Optional<UpdateStrategy> strategy() {
        return Optional.ofNullable(mcp.getSpec().updateStrategy());
    }
}
