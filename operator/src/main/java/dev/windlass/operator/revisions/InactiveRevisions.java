package dev.windlass.operator.revisions;

import dev.windlass.api.v1alpha1.MeshRevision;
import io.fabric8.kubernetes.api.model.Condition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which older revisions of a revision-based mesh stay. One goes once all of these hold: the active revision is
 * Ready (never leave a mesh with no working discovery server), no tag points at it, and it has not been in use
 * for the grace period ({@code inactiveRevisionDeletionGracePeriodSeconds}), counted from its InUse condition's
 * last transition. A pure function: the reconciler supplies what it read.
 */
public final class InactiveRevisions {
    public static final String IN_USE = "InUse";

    private InactiveRevisions() {
    }

    /**
     * @param kept    the older revisions to keep running
     * @param expired the names of those to delete now
     * @param recheck when the next one may expire, if one is waiting out its grace period
     */
    public record Decision(List<MeshRevision> kept, List<String> expired, Optional<Duration> recheck) {
    }

    /**
     * @param older       the mesh's revisions other than the one its spec asks for
     * @param activeReady whether the revision the spec asks for is Ready
     * @param tagTargets  the revisions some tag points at
     * @param inUse       the revisions running pods use
     */
    public static Decision decide(List<MeshRevision> older, boolean activeReady, Set<String> tagTargets, Set<String> inUse,
                                  Duration grace, Instant now) {
        List<MeshRevision> kept = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        Duration recheck = null;
        for (MeshRevision revision : older) {
            String name = revision.getMetadata().getName();
            Optional<Instant> unusedSince = unusedSince(revision);
            if (!activeReady || tagTargets.contains(name) || inUse.contains(name) || unusedSince.isEmpty()) {
                kept.add(revision);
                continue;
            }
            Duration left = grace.minus(Duration.between(unusedSince.get(), now));
            if (left.isNegative() || left.isZero()) {
                expired.add(name);
            } else {
                kept.add(revision);
                recheck = recheck == null || left.compareTo(recheck) < 0 ? left : recheck;
            }
        }
        return new Decision(kept, expired, Optional.ofNullable(recheck));
    }

    /** Since when the status has said InUse=False; empty while it is in use or not reported yet. */
    private static Optional<Instant> unusedSince(MeshRevision revision) {
        if (revision.getStatus() == null || revision.getStatus().conditions() == null) {
            return Optional.empty();
        }
        return revision.getStatus().conditions().stream()
                .filter(c -> IN_USE.equals(c.getType()) && "False".equals(c.getStatus()) && c.getLastTransitionTime() != null)
                .map(Condition::getLastTransitionTime).map(Instant::parse).findFirst();
    }
}
