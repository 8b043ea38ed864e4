package dev.windlass.discovery.status;

import java.time.Duration;
import java.util.Objects;

/**
 * When the status writer runs: {@code quiet} after the last change of its input (debounce), but no later than
 * {@code maxDelay} after the first unhandled one (a mesh that never stops changing still gets status), never
 * twice within {@code minInterval}, again after {@code retry} when a run could not write everything, and every
 * {@code resync} regardless (to repair statuses others changed). Pure: time comes in as milliseconds.
 */
final class RunSchedule {
    private final long quiet;
    private final long maxDelay;
    private final long minInterval;
    private final long resync;
    private final long retry;
    private Object input;
    private long firstChange = -1;
    private long lastChange;
    private long lastRun = Long.MIN_VALUE / 2;
    private long nextForced;

    RunSchedule(Duration quiet, Duration maxDelay, Duration minInterval, Duration resync, Duration retry) {
        this.quiet = quiet.toMillis();
        this.maxDelay = maxDelay.toMillis();
        this.minInterval = minInterval.toMillis();
        this.resync = resync.toMillis();
        this.retry = retry.toMillis();
    }

    /** Records the input seen at {@code now}; a different one than before is a change. */
    void observe(Object current, long now) {
        if (!Objects.equals(current, input)) {
            input = current;
            lastChange = now;
            if (firstChange < 0) {
                firstChange = now;
            }
        }
    }

    boolean due(long now) {
        if (now - lastRun < minInterval) {
            return false;
        }
        boolean settled = firstChange >= 0 && (now - lastChange >= quiet || now - firstChange >= maxDelay);
        return settled || now >= nextForced;
    }

    /** A run started at {@code now} ended; {@code complete} when every write it wanted went through. */
    void ran(long now, boolean complete) {
        lastRun = now;
        firstChange = -1;
        nextForced = now + (complete ? resync : retry);
    }
}
