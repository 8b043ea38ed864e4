package dev.windlass.upgrade;

import java.util.List;
import java.util.Optional;

/**
 * Which version changes a mesh may make (see shared/design.md): InPlace moves at most one minor at a time,
 * RevisionBased up to two (the old revision keeps serving while workloads move); a downgrade goes only to the
 * previous patch of the same minor. The target must also list the current version as upgradeable-from.
 */
public final class SkewPolicy {
    public enum Strategy {
        IN_PLACE(1, "InPlace"), REVISION_BASED(2, "RevisionBased");

        final int maxMinorSteps;
        final String name;

        Strategy(int maxMinorSteps, String name) {
            this.maxMinorSteps = maxMinorSteps;
            this.name = name;
        }
    }

    /** @param message empty when allowed; otherwise why not, naming the versions that are allowed */
    public record Verdict(boolean allowed, String message) {
    }

    private final VersionCatalog catalog;

    public SkewPolicy(VersionCatalog catalog) {
        this.catalog = catalog;
    }

    public Verdict check(String from, String to, Strategy strategy) {
        SemVer current = SemVer.parse(from);
        Optional<MeshVersion> target = catalog.find(to);
        if (target.isEmpty()) {
            return refused(current, strategy, to + " is not in the catalog");
        }
        if (allowed(current, target.get(), strategy)) {
            return new Verdict(true, "");
        }
        SemVer wanted = target.get().version();
        String why = wanted.compareTo(current) < 0
                ? "a downgrade may only go to the previous patch of " + current.major() + "." + current.minor()
                : "the " + strategy.name + " strategy moves at most " + strategy.maxMinorSteps + " minor version"
                + (strategy.maxMinorSteps > 1 ? "s" : "") + " at a time";
        return refused(current, strategy, from + " → " + to + " is not allowed: " + why);
    }

    /** Every catalog version a mesh at {@code from} may move to with this strategy, newest first. */
    public List<String> allowedTargets(String from, Strategy strategy) {
        SemVer current = SemVer.parse(from);
        return catalog.versions().stream().filter(v -> allowed(current, v, strategy)).map(v -> v.version().toString()).toList();
    }

    private boolean allowed(SemVer current, MeshVersion target, Strategy strategy) {
        SemVer wanted = target.version();
        int order = wanted.compareTo(current);
        if (order == 0) {
            return false;
        }
        if (order < 0) {
            return wanted.equals(previousPatch(current).orElse(null));
        }
        int minorSteps = wanted.major() == current.major() ? wanted.minor() - current.minor() : Integer.MAX_VALUE;
        return minorSteps <= strategy.maxMinorSteps && target.upgradeableFrom().compareTo(current) <= 0;
    }

    private Optional<SemVer> previousPatch(SemVer current) {
        return catalog.versions().stream().map(MeshVersion::version)
                .filter(v -> v.major() == current.major() && v.minor() == current.minor() && v.compareTo(current) < 0)
                .max(SemVer::compareTo);
    }

    private Verdict refused(SemVer current, Strategy strategy, String why) {
        List<String> targets = allowedTargets(current.toString(), strategy);
        return new Verdict(false, why + ". Allowed next versions from " + current + " with " + strategy.name + ": "
                + (targets.isEmpty() ? "none in this catalog" : String.join(", ", targets)));
    }
}
