package dev.windlass.samples.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The echo check's arithmetic: in order, a gap, a late echo, a second copy, something never sent. */
class EchoTallyTest {
    @Test
    void everyEchoInOrderIsClean() {
        EchoTally tally = new EchoTally();
        for (int i = 0; i < 3; i++) {
            tally.echoed(tally.next());
        }
        assertThat(tally.clean()).isTrue();
        assertThat(tally.counts()).containsEntry("sent", 3L).containsEntry("received", 3L).containsEntry("lost", 0L)
                .containsEntry("outOfOrder", 0L).containsEntry("unexpected", 0L);
    }

    @Test
    void aLateEchoIsOutOfOrderAndAMissingOneLost() {
        EchoTally tally = new EchoTally();
        String first = tally.next();
        String second = tally.next();
        tally.next();
        tally.echoed(second);
        tally.echoed(first);
        assertThat(tally.counts()).containsEntry("received", 2L).containsEntry("lost", 1L).containsEntry("outOfOrder", 1L);
        assertThat(tally.clean()).isFalse();
    }

    @Test
    void aSecondCopyOrAMessageNeverSentIsUnexpectedAndNotCountedAsReceived() {
        EchoTally tally = new EchoTally();
        String only = tally.next();
        tally.echoed(only);
        tally.echoed(only);
        tally.echoed("message 7");
        tally.echoed("hello");
        assertThat(tally.counts()).containsEntry("received", 1L).containsEntry("lost", 0L).containsEntry("unexpected", 3L);
        assertThat(tally.clean()).isFalse();
    }

    @Test
    void awaitAllReturnsOnceEveryEchoIsBackOrTheTimeIsUp() throws Exception {
        EchoTally tally = new EchoTally();
        String message = tally.next();
        assertThat(tally.awaitAll(50)).isFalse();
        Thread.ofVirtual().start(() -> tally.echoed(message));
        assertThat(tally.awaitAll(5000)).isTrue();
    }
}
