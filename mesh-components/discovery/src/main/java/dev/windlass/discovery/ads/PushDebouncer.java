package dev.windlass.discovery.ads;

import dev.windlass.discovery.model.ChangeKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Coalesces bursts of registry changes into one push, as pilot does: the push starts once no change has come
 * for {@code quiet} (100 ms in production), or {@code max} (10 s) after the first change of the burst, whichever
 * is first. Pushes run one at a time on this class's own thread, so they never overlap.
 */
final class PushDebouncer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PushDebouncer.class);

    /** A push to run: its kind, and {@link System#nanoTime()} of the first change it covers. */
    interface Push {
        void run(ChangeKind kind, long firstChangeNanos);
    }

    private final long quietNanos;
    private final long maxNanos;
    private final Push push;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "xds-push");
        t.setDaemon(true);
        return t;
    });
    private ChangeKind pending;
    private long firstChange;
    private long lastChange;

    PushDebouncer(Duration quiet, Duration max, Push push) {
        this.quietNanos = quiet.toNanos();
        this.maxNanos = max.toNanos();
        this.push = push;
    }

    synchronized void request(ChangeKind kind) {
        long now = System.nanoTime();
        lastChange = now;
        if (pending != null) {
            pending = pending.merge(kind);
            return;
        }
        pending = kind;
        firstChange = now;
        schedule(quietNanos);
    }

    private void schedule(long delayNanos) {
        if (!thread.isShutdown()) {
            thread.schedule(this::fire, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void fire() {
        ChangeKind kind;
        long first;
        synchronized (this) {
            long now = System.nanoTime();
            long quietLeft = lastChange + quietNanos - now;
            long maxLeft = firstChange + maxNanos - now;
            if (quietLeft > 0 && maxLeft > 0) {
                schedule(Math.min(quietLeft, maxLeft));
                return;
            }
            kind = pending;
            first = firstChange;
            pending = null;
        }
        try {
            push.run(kind, first);
        } catch (RuntimeException e) {
            LOG.error("push failed", e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
