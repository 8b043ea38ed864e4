package dev.windlass.operator;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.api.v1alpha1.MeshControlPlaneStatus;
import dev.windlass.contract.Revisions;
import dev.windlass.operator.install.ApplyRefusedException;
import dev.windlass.operator.install.MeshInstaller;
import dev.windlass.operator.install.MeshPlan;
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
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
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
 * The status is patched here, not through UpdateControl: JOSDK drops the watch event of a patch it made itself,
 * and a spec edit or a deletion that lands in the same moment reached it only as that event (a profile switch
 * then waited for the resync). Patched here, the event comes back; the pass it causes over a settled mesh is a
 * set of no-op applies and an unchanged status, which makes no further event.
 * A one-minute resync stays as a safety net.
 */
@ControllerConfiguration(name = MeshControlPlaneReconciler.NAME, generationAwareEventProcessing = false,
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 1, timeUnit = TimeUnit.MINUTES))
@GradualRetry(maxAttempts = -1, initialInterval = 1000, intervalMultiplier = 2, maxInterval = 60_000)
public class MeshControlPlaneReconciler implements Reconciler<MeshControlPlane>, Cleaner<MeshControlPlane> {
    public static final String NAME = "meshcontrolplane";
    private static final Logger LOG = LoggerFactory.getLogger(MeshControlPlaneReconciler.class);
    /** A safety net only: the watches on every managed object trigger a reconcile as soon as something changes. */
    private static final Duration RECHECK_WHILE_NOT_READY = Duration.ofSeconds(30);
    private static final String NOTHING_CHANGED = ". Nothing was changed; fix the spec to continue";

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
        Optional<Refusal> refusal = precheck(client, mcp);
        if (refusal.isPresent()) {
            return refuse(client, mcp, events, refusal.get().reason(), refusal.get().message());
        }
        RevisionLifecycle revisions = new RevisionLifecycle(client, mcp);
        MeshPlan plan;
        try {
            plan = planner(client).plan(mcp, NamespaceClaims.mayOwnNamespace(client, mcp), revisions.olderToKeep());
        } catch (ValuesException e) {
            return refuse(client, mcp, events, "InvalidSpec", e.getMessage() + NOTHING_CHANGED);
        }
        Optional<String> refusedUpgrade = UpgradeGate.refusal(mcp, plan);
        if (refusedUpgrade.isPresent()) {
            LOG.warn("MeshControlPlane {}: upgrade refused: {}", mcp.getMetadata().getName(), refusedUpgrade.get());
            return updateStatus(client, mcp, StatusReport.upgradeRefused(mcp, refusedUpgrade.get()), events, RECHECK_WHILE_NOT_READY);
        }
        MeshInstaller installer = new MeshInstaller(client);
        if (StatusReport.specChanged(mcp)) {
            try {
                installer.validate(plan, mcp);
            } catch (ApplyRefusedException e) {
                if (e.namespaceTerminating()) {
                    return UpdateControl.<MeshControlPlane>noUpdate().rescheduleAfter(RECHECK_WHILE_NOT_READY);
                }
                if (!e.permanent()) {
                    throw e;
                }
                return refuse(client, mcp, events, "InvalidSpec", "The API server refused the rendered mesh: " + e.getMessage() + NOTHING_CHANGED);
            }
        }
        MeshInstaller.Progress progress = installer.install(plan, mcp);
        prune(client, events, mcp, plan, progress);
        RevisionLifecycle.Outcome outcome = revisions.afterInstall(plan, progress);
        MeshControlPlaneStatus status = StatusReport.applied(mcp, plan, progress, Dependencies.check(client, plan),
                UpgradeGate.nextVersions(mcp, plan), outcome);
        return updateStatus(client, mcp, status, events, recheck(progress, outcome));
    }

    private record Refusal(String reason, String message) {
    }

    /** What refuses a spec before anything is rendered: an unreadable spec, a taken namespace, a strategy switch. */
    private static Optional<Refusal> precheck(KubernetesClient client, MeshControlPlane mcp) {
        Optional<String> unreadable = mcp.specError().or(() -> mcp.getSpec() == null ? StoredSpecs.error(client, mcp) : Optional.empty());
        if (unreadable.isPresent()) {
            return Optional.of(new Refusal("InvalidSpec", "The spec cannot be read: " + unreadable.get() + NOTHING_CHANGED));
        }
        Optional<String> owner = NamespaceClaims.ownerOfNamespace(client, mcp);
        if (owner.isPresent()) {
            return Optional.of(new Refusal("NamespaceConflict", "Namespace " + mcp.getSpec().namespace()
                    + " already has the mesh of MeshControlPlane " + owner.get()
                    + "; a namespace holds one mesh. Choose another spec.namespace, or delete this MeshControlPlane"));
        }
        return UpgradeGate.strategySwitch(mcp).map(message -> new Refusal("StrategyChangeNotSupported", message));
    }

    /** Once every phase is applied, what the plan no longer renders goes. */
    private static void prune(KubernetesClient client, MeshEvents events, MeshControlPlane mcp, MeshPlan plan,
                              MeshInstaller.Progress progress) {
        if (!progress.complete()) {
            return;
        }
        List<ObjectKey> pruned = new Pruner(client).prune(plan.instance(), plan.keys());
        if (!pruned.isEmpty()) {
            LOG.info("MeshControlPlane {}: pruned {}", plan.instance(), pruned);
            events.normal(mcp, "Pruned", "Deleted " + pruned.size() + " objects no longer rendered: " + pruned);
        }
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

    private static UpdateControl<MeshControlPlane> refuse(KubernetesClient client, MeshControlPlane mcp, MeshEvents events,
                                                          String reason, String message) {
        LOG.warn("MeshControlPlane {} refused: {}", mcp.getMetadata().getName(), message);
        return updateStatus(client, mcp, StatusReport.refused(mcp, reason, message), events, RECHECK_WHILE_NOT_READY);
    }

    private static UpdateControl<MeshControlPlane> updateStatus(KubernetesClient client, MeshControlPlane mcp,
                                                                MeshControlPlaneStatus status, MeshEvents events, Duration recheck) {
        StatusTransitions.record(mcp, status, events);
        patchStatus(client, mcp, status);
        UpdateControl<MeshControlPlane> control = UpdateControl.noUpdate();
        return recheck == null ? control : control.rescheduleAfter(recheck);
    }

    @Override
    public ErrorStatusUpdateControl<MeshControlPlane> updateErrorStatus(MeshControlPlane mcp, Context<MeshControlPlane> context,
                                                                        Exception e) {
        LOG.error("MeshControlPlane {}: reconcile failed", mcp.getMetadata().getName(), e);
        MeshControlPlaneStatus status = StatusReport.failed(mcp, e);
        StatusTransitions.record(mcp, status, new MeshEvents(context.getClient()));
        try {
            patchStatus(context.getClient(), mcp, status);
        } catch (KubernetesClientException patchFailed) {
            LOG.warn("MeshControlPlane {}: the failure could not be reported in its status: {}", mcp.getMetadata().getName(),
                    patchFailed.getMessage());
        }
        return ErrorStatusUpdateControl.defaultErrorProcessing();
    }

    /**
     * Only the status, without a resourceVersion, under the controller's name as field manager (as JOSDK did):
     * server-side apply then owns the status outright instead of failing with a conflict whenever the spec moved on
     * during the reconcile (the next one catches up).
     */
    private static void patchStatus(KubernetesClient client, MeshControlPlane mcp, MeshControlPlaneStatus status) {
        MeshControlPlane patch = new MeshControlPlane();
        patch.setMetadata(new ObjectMetaBuilder().withName(mcp.getMetadata().getName()).build());
        patch.setStatus(status);
        client.resource(patch).subresource("status").patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager(NAME).withForce(true).build());
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
                ? Revisions.DEFAULT : mcp.getStatus().activeRevision();
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
