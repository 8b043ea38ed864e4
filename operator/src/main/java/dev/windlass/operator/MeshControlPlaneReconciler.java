package dev.windlass.operator;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.api.v1alpha1.MeshControlPlaneStatus;
import dev.windlass.operator.install.MeshInstaller;
import dev.windlass.operator.install.MeshPlan;
import dev.windlass.operator.install.MeshPlanner;
import dev.windlass.operator.install.ObjectKey;
import dev.windlass.operator.install.Pruner;
import dev.windlass.operator.install.Uninstaller;
import dev.windlass.operator.revisions.OperatorIdentity;
import dev.windlass.operator.revisions.RevisionLifecycle;
import dev.windlass.operator.status.Dependencies;
import dev.windlass.operator.status.MeshEvents;
import dev.windlass.operator.status.StatusReport;
import dev.windlass.profiles.ValuesException;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a mesh exactly as its MeshControlPlane declares: render, apply phase by phase, prune what is no longer
 * rendered, report. Every step is idempotent and starts from the cluster's state, so a restart at any point
 * converges. The work itself is done by the classes in {@code install} and {@code status}.
 */
/*
 * Not generation-aware: the status is patched without a resourceVersion, and the patch response can already carry
 * a newer generation than the reconcile saw; JOSDK would then count that generation as handled and skip it.
 * Reconciling on every update costs one extra no-op pass after each status change.
 */
@ControllerConfiguration(name = MeshControlPlaneReconciler.NAME, generationAwareEventProcessing = false,
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
@GradualRetry(maxAttempts = -1, initialInterval = 1000, intervalMultiplier = 2, maxInterval = 60_000)
public class MeshControlPlaneReconciler implements Reconciler<MeshControlPlane>, Cleaner<MeshControlPlane> {
    public static final String NAME = "meshcontrolplane";
    private static final Logger LOG = LoggerFactory.getLogger(MeshControlPlaneReconciler.class);
    /** A safety net only: the watches on every managed object trigger a reconcile as soon as something changes. */
    private static final Duration RECHECK_WHILE_NOT_READY = Duration.ofSeconds(30);

    private final Optional<String> platform;
    private MeshPlanner planner;

    public MeshControlPlaneReconciler(Optional<String> platform) {
        this.platform = platform;
    }

    /** Made on the first reconcile, when there is a client to ask who the operator is. */
    private synchronized MeshPlanner planner(KubernetesClient client) {
        if (planner == null) {
            planner = new MeshPlanner(platform, OperatorIdentity.username(client));
        }
        return planner;
    }

    @Override
    public List<EventSource<?, MeshControlPlane>> prepareEventSources(EventSourceContext<MeshControlPlane> context) {
        return ManagedObjectWatches.eventSources(context);
    }

    @Override
    public UpdateControl<MeshControlPlane> reconcile(MeshControlPlane mcp, Context<MeshControlPlane> context) {
        KubernetesClient client = context.getClient();
        MeshEvents events = new MeshEvents(client);
        Optional<String> owner = NamespaceClaims.ownerOfNamespace(client, mcp);
        if (owner.isPresent()) {
            String message = "Namespace " + mcp.getSpec().namespace() + " already has the mesh of MeshControlPlane " + owner.get()
                    + "; a namespace holds one mesh. Choose another spec.namespace, or delete this MeshControlPlane";
            return refuse(mcp, events, "NamespaceConflict", message);
        }
        Optional<String> strategySwitch = UpgradeGate.strategySwitch(mcp);
        if (strategySwitch.isPresent()) {
            return refuse(mcp, events, "StrategyChangeNotSupported", strategySwitch.get());
        }
        RevisionLifecycle revisions = new RevisionLifecycle(client, mcp);
        MeshPlan plan;
        try {
            plan = planner(client).plan(mcp, NamespaceClaims.mayOwnNamespace(client, mcp), revisions.olderToKeep());
        } catch (ValuesException e) {
            return refuse(mcp, events, "InvalidSpec", e.getMessage() + ". Nothing was changed; fix the spec to continue");
        }
        Optional<String> refusedUpgrade = UpgradeGate.refusal(mcp, plan);
        if (refusedUpgrade.isPresent()) {
            LOG.warn("MeshControlPlane {}: upgrade refused: {}", mcp.getMetadata().getName(), refusedUpgrade.get());
            return updateStatus(mcp, StatusReport.upgradeRefused(mcp, refusedUpgrade.get()), events, RECHECK_WHILE_NOT_READY);
        }
        MeshInstaller.Progress progress = new MeshInstaller(client).install(plan, mcp);
        if (progress.complete()) {
            List<ObjectKey> pruned = new Pruner(client).prune(plan.instance(), plan.keys());
            if (!pruned.isEmpty()) {
                LOG.info("MeshControlPlane {}: pruned {}", plan.instance(), pruned);
                events.normal(mcp, "Pruned", "Deleted " + pruned.size() + " objects no longer rendered: " + pruned);
            }
        }
        RevisionLifecycle.Outcome outcome = revisions.afterInstall(plan, progress);
        MeshControlPlaneStatus status = StatusReport.applied(mcp, plan, progress, Dependencies.check(client, plan),
                UpgradeGate.nextVersions(mcp, plan), outcome);
        return updateStatus(mcp, status, events, recheck(progress, outcome));
    }

    /** Not ready, workloads still to move, or an older revision waiting out its grace period: look again. */
    private static Duration recheck(MeshInstaller.Progress progress, RevisionLifecycle.Outcome outcome) {
        Duration recheck = progress.complete() && outcome.pendingWorkloads().isEmpty() ? null : RECHECK_WHILE_NOT_READY;
        if (outcome.recheck().isPresent()) {
            Duration graceLeft = outcome.recheck().get().plusSeconds(1);
            recheck = recheck == null || graceLeft.compareTo(recheck) < 0 ? graceLeft : recheck;
        }
        return recheck;
    }

    private UpdateControl<MeshControlPlane> refuse(MeshControlPlane mcp, MeshEvents events, String reason, String message) {
        LOG.warn("MeshControlPlane {} refused: {}", mcp.getMetadata().getName(), message);
        return updateStatus(mcp, StatusReport.refused(mcp, reason, message), events, RECHECK_WHILE_NOT_READY);
    }

    private UpdateControl<MeshControlPlane> updateStatus(MeshControlPlane mcp, MeshControlPlaneStatus status, MeshEvents events,
                                                         Duration recheck) {
        StatusTransitions.record(mcp, status, events);
        UpdateControl<MeshControlPlane> control = UpdateControl.patchStatus(statusPatch(mcp, status));
        return recheck == null ? control : control.rescheduleAfter(recheck);
    }

    @Override
    public ErrorStatusUpdateControl<MeshControlPlane> updateErrorStatus(MeshControlPlane mcp, Context<MeshControlPlane> context,
                                                                        Exception e) {
        LOG.error("MeshControlPlane {}: reconcile failed", mcp.getMetadata().getName(), e);
        MeshControlPlaneStatus status = StatusReport.failed(mcp, e);
        StatusTransitions.record(mcp, status, new MeshEvents(context.getClient()));
        return ErrorStatusUpdateControl.patchStatus(statusPatch(mcp, status));
    }

    /**
     * Only the status, without a resourceVersion: server-side apply then owns the status outright instead of
     * failing with a conflict whenever the spec moved on during the reconcile (the next one catches up).
     */
    private static MeshControlPlane statusPatch(MeshControlPlane mcp, MeshControlPlaneStatus status) {
        MeshControlPlane patch = new MeshControlPlane();
        patch.setMetadata(new ObjectMetaBuilder().withName(mcp.getMetadata().getName()).build());
        patch.setStatus(status);
        return patch;
    }

    @Override
    public DeleteControl cleanup(MeshControlPlane mcp, Context<MeshControlPlane> context) {
        KubernetesClient client = context.getClient();
        String instance = mcp.getMetadata().getName();
        MeshEvents events = new MeshEvents(client);
        Uninstaller uninstaller = new Uninstaller(client);
        boolean purge = "true".equals(mcp.getMetadata().getAnnotations() == null ? null
                : mcp.getMetadata().getAnnotations().get(MeshControlPlane.PURGE_ANNOTATION));
        List<ObjectKey> deleted = uninstaller.uninstall(instance, purge);
        LOG.info("MeshControlPlane {} uninstalled: deleted {}", instance, deleted);
        String revision = mcp.getStatus() == null || mcp.getStatus().activeRevision() == null
                ? "default" : mcp.getStatus().activeRevision();
        List<String> injected = uninstaller.injectedPods(revision);
        if (!injected.isEmpty()) {
            String message = injected.size() + " injected pods keep their sidecars and last config, and are not touched: "
                    + injected + ". Restart them to run without the mesh";
            LOG.warn("MeshControlPlane {}: {}", instance, message);
            events.warning(mcp, "InjectedWorkloadsRemain", message);
        }
        events.normal(mcp, "Uninstalled", "Deleted " + deleted.size() + " objects");
        return DeleteControl.defaultDelete();
    }
}
