package dev.windlass.operator.revisions;

import dev.windlass.api.v1alpha1.MeshRevision;
import dev.windlass.api.v1alpha1.MeshRevisionStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class InactiveRevisionsTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final Duration GRACE = Duration.ofSeconds(30);

    @Test
    void anUnusedRevisionGoesOnceItsGracePeriodIsOver() {
        var decision = InactiveRevisions.decide(List.of(unusedSince("old", 31)), true, Set.of(), Set.of(), GRACE, NOW);
        assertThat(decision.expired()).containsExactly("old");
        assertThat(decision.kept()).isEmpty();
    }

    @Test
    void anUnusedRevisionStaysUntilThenAndTheReconcilerIsToldWhenToLookAgain() {
        var decision = InactiveRevisions.decide(List.of(unusedSince("old", 10), unusedSince("older", 25)), true, Set.of(), Set.of(), GRACE, NOW);
        assertThat(decision.expired()).isEmpty();
        assertThat(decision.recheck()).contains(Duration.ofSeconds(5));
    }

    @Test
    void aRevisionStaysWhilePodsUseItATagPointsAtItOrTheNewOneIsNotReady() {
        MeshRevision old = unusedSince("old", 3600);
        assertThat(InactiveRevisions.decide(List.of(old), true, Set.of(), Set.of("old"), GRACE, NOW).expired()).isEmpty();
        assertThat(InactiveRevisions.decide(List.of(old), true, Set.of("old"), Set.of(), GRACE, NOW).expired()).isEmpty();
        assertThat(InactiveRevisions.decide(List.of(old), false, Set.of(), Set.of(), GRACE, NOW).expired()).isEmpty();
    }

    @Test
    void aRevisionWhoseUseIsNotReportedYetStays() {
        MeshRevision fresh = new MeshRevision();
        fresh.setMetadata(new ObjectMetaBuilder().withName("fresh").build());
        var decision = InactiveRevisions.decide(List.of(fresh), true, Set.of(), Set.of(), GRACE, NOW);
        assertThat(decision.kept()).containsExactly(fresh);
        assertThat(decision.recheck()).isEmpty();
    }

    private static MeshRevision unusedSince(String name, long secondsAgo) {
        MeshRevision revision = new MeshRevision();
        revision.setMetadata(new ObjectMetaBuilder().withName(name).build());
        revision.setStatus(new MeshRevisionStatus(1L, List.of(new ConditionBuilder().withType("InUse").withStatus("False")
                .withLastTransitionTime(NOW.minusSeconds(secondsAgo).toString()).build()), 0));
        return revision;
    }
}
