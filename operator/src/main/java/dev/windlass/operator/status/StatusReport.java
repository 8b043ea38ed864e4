package dev.windlass.operator.status;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.api.v1alpha1.MeshControlPlaneStatus;
import dev.windlass.api.v1alpha1.MeshControlPlaneStatus.ComponentStatus;
import dev.windlass.operator.conditions.MeshConditions;
import dev.windlass.operator.install.MeshInstaller;
import dev.windlass.operator.install.MeshPlan;
import dev.windlass.operator.install.WorkloadStatus;
import dev.windlass.operator.revisions.RevisionLifecycle;

import java.util.List;
import java.util.Objects;

import static dev.windlass.operator.conditions.MeshConditions.DEPENDENCIES_HEALTHY;
import static dev.windlass.operator.conditions.MeshConditions.READY;
import static dev.windlass.operator.conditions.MeshConditions.RECONCILED;
import static dev.windlass.operator.conditions.MeshConditions.UPGRADEABLE;

/** Builds a MeshControlPlane's status from what a reconcile found; every message says what to do next. */
public final class StatusReport {
    private StatusReport() {
    }

    /** The plan was applied as far as readiness allows. */
    public static MeshControlPlaneStatus applied(MeshControlPlane mcp, MeshPlan plan, MeshInstaller.Progress progress,
                                                 Dependencies dependencies, String nextVersions, RevisionLifecycle.Outcome revisions) {
        MeshConditions conditions = conditions(mcp)
                .set(RECONCILED, true, "Applied", plan.objects().size() + " objects applied for profile " + plan.profile()
                        + " and version " + plan.version()
                        + (plan.migrations().isEmpty() ? "" : "; values migrated: " + String.join("; ", plan.migrations())))
                .set(UPGRADEABLE, true, "UpgradeAllowed", nextVersions)
                .set(DEPENDENCIES_HEALTHY, dependencies.healthy(), dependencies.reason(), dependencies.message());
        String installed = mcp.getStatus() == null ? null : mcp.getStatus().version();
        if (progress.complete()) {
            conditions.set(READY, true, "Ready", "All components are ready"
                    + (revisions.pendingWorkloads().isEmpty() ? "" : "; " + revisions.pendingWorkloads()));
        } else if (progress.workloads().stream().anyMatch(WorkloadStatus::failing)) {
            conditions.set(READY, false, "RolloutFailed", stalled(plan, installed, progress));
        } else {
            conditions.set(READY, false, reason(progress), "Waiting for the " + progress.waitingFor().description() + ": "
                    + progress.message());
        }
        List<ComponentStatus> components = progress.workloads().stream().map(StatusReport::component).toList();
        // The installed version and active revision move only once the new ones are fully rolled out: see UpgradeGate.
        MeshControlPlaneStatus old = mcp.getStatus();
        boolean keepOld = !progress.complete() && old != null && old.version() != null;
        return new MeshControlPlaneStatus(mcp.getMetadata().getGeneration(), conditions.build(), components,
                keepOld ? old.version() : plan.version(), plan.profile(),
                keepOld && old.activeRevision() != null ? old.activeRevision() : plan.revision(),
                revisions.revisions(), revisions.dataPlane());
    }

    /**
     * The spec could not be acted on (an unknown profile, a version outside the catalog, a namespace another
     * mesh owns). Nothing was changed, so readiness and components are reported as they were.
     */
    public static MeshControlPlaneStatus refused(MeshControlPlane mcp, String reason, String message) {
        MeshConditions conditions = conditions(mcp).set(RECONCILED, false, reason, message)
                .keep(UPGRADEABLE).keep(DEPENDENCIES_HEALTHY);
        if (mcp.getStatus() == null) {
            conditions.set(READY, false, reason, "Nothing installed: " + message);
        } else {
            conditions.keep(READY);
        }
        return unchangedExcept(mcp, conditions);
    }

    /** The version change breaks the skew rules: nothing was applied, and the message names what is allowed. */
    public static MeshControlPlaneStatus upgradeRefused(MeshControlPlane mcp, String message) {
        return unchangedExcept(mcp, conditions(mcp).set(RECONCILED, false, "UpgradeNotAllowed", message)
                .set(UPGRADEABLE, false, "UpgradeNotAllowed", message).keep(READY).keep(DEPENDENCIES_HEALTHY));
    }

    /** Applying failed with an API error; it is retried with backoff. */
    public static MeshControlPlaneStatus failed(MeshControlPlane mcp, Exception error) {
        return unchangedExcept(mcp, conditions(mcp)
                .set(RECONCILED, false, "ApplyFailed", "Applying the mesh failed and will be retried: " + error.getMessage())
                .keep(READY).keep(UPGRADEABLE).keep(DEPENDENCIES_HEALTHY));
    }

    /**
     * Whether this generation of the spec has not yet been applied cleanly: never reported, a newer generation, or
     * its last reconcile refused or failed. Such a spec is dry-run as a whole before anything is written.
     */
    public static boolean specChanged(MeshControlPlane mcp) {
        MeshControlPlaneStatus status = mcp.getStatus();
        if (status == null || status.conditions() == null
                || !Objects.equals(status.observedGeneration(), mcp.getMetadata().getGeneration())) {
            return true;
        }
        return status.conditions().stream().noneMatch(c -> RECONCILED.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** The previous status with new conditions: what runs has not changed. */
    private static MeshControlPlaneStatus unchangedExcept(MeshControlPlane mcp, MeshConditions conditions) {
        MeshControlPlaneStatus old = mcp.getStatus();
        long generation = mcp.getMetadata().getGeneration();
        return old == null
                ? new MeshControlPlaneStatus(generation, conditions.build(), null, null, null, null, null, null)
                : new MeshControlPlaneStatus(generation, conditions.build(), old.components(), old.version(), old.profile(),
                old.activeRevision(), old.revisions(), old.dataPlane());
    }

    private static MeshConditions conditions(MeshControlPlane mcp) {
        return new MeshConditions(mcp.getStatus() == null ? null : mcp.getStatus().conditions(), mcp.getMetadata().getGeneration());
    }

    /** A rollout that waiting will not finish: later phases stay as they were, and the previous pods keep serving. */
    private static String stalled(MeshPlan plan, String installed, MeshInstaller.Progress progress) {
        boolean upgrading = installed != null && !installed.equals(plan.version());
        return (upgrading ? "The upgrade from " + installed + " to " + plan.version() + " is stopped at the "
                : "The rollout is stopped at the ") + progress.waitingFor().description() + ": " + progress.message()
                + " The later phases were not applied and the running pods keep serving. Fix the cause"
                + (upgrading ? ", or set spec.version back to " + installed + " to roll back" : "");
    }

    private static String reason(MeshInstaller.Progress progress) {
        return switch (progress.waitingFor()) {
            case BASE -> "BaseNotReady";
            case DISCOVERY -> "DiscoveryNotAvailable";
            case WEBHOOKS -> "WebhookEndpointsNotReady";
            case GATEWAYS -> "GatewaysNotAvailable";
            case ADDONS -> "AddonsNotAvailable";
        };
    }

    private static ComponentStatus component(WorkloadStatus workload) {
        return new ComponentStatus(workload.name(), workload.ready(), workload.version(), workload.message());
    }
}
