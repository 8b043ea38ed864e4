package dev.windlass.operator;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.api.v1alpha1.UpdateStrategy;
import dev.windlass.contract.Revisions;
import dev.windlass.operator.install.MeshPlan;
import dev.windlass.upgrade.SkewPolicy;
import dev.windlass.upgrade.VersionCatalog;

import java.util.Optional;

/**
 * Holds back a version change that the skew rules refuse, before anything is applied. The installed version is
 * the one the status reports, which moves only once a version is fully rolled out: so setting spec.version back
 * during a failed upgrade is a rollback to what runs, never a refused downgrade.
 */
final class UpgradeGate {
    private static final SkewPolicy POLICY = new SkewPolicy(VersionCatalog.builtIn());

    private UpgradeGate() {
    }

    static Optional<String> refusal(MeshControlPlane mcp, MeshPlan plan) {
        String installed = installed(mcp);
        if (installed == null || installed.equals(plan.version())) {
            return Optional.empty();
        }
        SkewPolicy.Verdict verdict = POLICY.check(installed, plan.version(), strategy(mcp));
        return verdict.allowed() ? Optional.empty() : Optional.of(verdict.message() + ". Nothing was changed");
    }

    /**
     * Moving an installed mesh between InPlace and RevisionBased would delete the revision its pods use; the user
     * uninstalls and installs again instead, or sets the strategy back.
     */
    static Optional<String> strategySwitch(MeshControlPlane mcp) {
        String active = mcp.getStatus() == null ? null : mcp.getStatus().activeRevision();
        if (active == null) {
            return Optional.empty();
        }
        boolean wasInPlace = Revisions.DEFAULT.equals(active);
        boolean isInPlace = strategy(mcp) == SkewPolicy.Strategy.IN_PLACE;
        return wasInPlace == isInPlace ? Optional.empty() : Optional.of("spec.updateStrategy.type: this mesh runs "
                + (wasInPlace ? "InPlace" : "RevisionBased (revision " + active + ")") + " and cannot switch to "
                + (isInPlace ? "InPlace" : "RevisionBased") + " while installed. Set it back, or uninstall and install again."
                + " Nothing was changed");
    }

    /** For the Upgradeable condition: where this mesh may go next. */
    static String nextVersions(MeshControlPlane mcp, MeshPlan plan) {
        var targets = POLICY.allowedTargets(plan.version(), strategy(mcp));
        return targets.isEmpty() ? "No newer version in this operator's catalog"
                : "Allowed next versions with " + strategy(mcp).name().toLowerCase().replace('_', '-') + " upgrades: "
                + String.join(", ", targets) + "; check with 'windlass precheck --to VERSION'";
    }

    private static String installed(MeshControlPlane mcp) {
        return mcp.getStatus() == null ? null : mcp.getStatus().version();
    }

    private static SkewPolicy.Strategy strategy(MeshControlPlane mcp) {
        return UpdateStrategy.isRevisionBased(mcp.getSpec().updateStrategy())
                ? SkewPolicy.Strategy.REVISION_BASED : SkewPolicy.Strategy.IN_PLACE;
    }
}
