package dev.windlass.samples.load;

import dev.windlass.samples.streamecho.EchoProtocol;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an echo stream sent and got back. An echo that arrives after a later one counts as out of order; an echo
 * sent but never received, by the end, as lost; an echo of something never sent (or a second copy) as unexpected.
 */
final class EchoTally {
    private final BitSet echoed = new BitSet();
    private long sent;
    private long received;
    private long outOfOrder;
    private long unexpected;
    private long highest = -1;

    /** Counts the next message as sent and returns it. */
    synchronized String next() {
        return EchoProtocol.message(sent++);
    }

    synchronized void echoed(String message) {
        long sequence = EchoProtocol.sequence(message);
        if (sequence < 0 || sequence >= sent || sequence > Integer.MAX_VALUE || echoed.get((int) sequence)) {
            unexpected++;
            return;
        }
        echoed.set((int) sequence);
        received++;
        if (sequence < highest) {
            outOfOrder++;
        }
        highest = Math.max(highest, sequence);
        notifyAll();
    }

    /** Waits until every message sent has come back, or the time is up; true when all came back. */
    synchronized boolean awaitAll(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (received < sent) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    synchronized long sent() {
        return sent;
    }

    synchronized long lost() {
        return sent - received;
    }

    /** Nothing lost, nothing out of order, nothing unexpected. */
    synchronized boolean clean() {
        return received == sent && outOfOrder == 0 && unexpected == 0;
    }

    /** The summary's fields, in a fixed order: sent, received, lost, outOfOrder, unexpected. */
    synchronized Map<String, Object> counts() {
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("sent", sent);
        counts.put("received", received);
        counts.put("lost", sent - received);
        counts.put("outOfOrder", outOfOrder);
        counts.put("unexpected", unexpected);
        return counts;
    }
}
