package dev.windlass.proxy.http;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * One scheduled task on an event loop serving several deadlines that move all the time (a request's start, its
 * last byte...). Moving a deadline later costs nothing: the task fires early and its owner asks again for the
 * next one ({@link #fireBy}). Only a deadline earlier than the task's moves it, so a busy connection schedules a
 * task now and then rather than per request. Used on its event loop only.
 */
final class DeadlineTimer implements Runnable {
    private final EventExecutor loop;
    private final Runnable expired;
    private ScheduledFuture<?> task;
    private long firesAt;

    /** {@code expired} runs when the task fires; it checks its deadlines and calls {@link #fireBy} again if needed. */
    DeadlineTimer(EventExecutor loop, Runnable expired) {
        this.loop = loop;
        this.expired = expired;
    }

    /** Makes sure the task fires no later than {@code deadline} ({@link System#nanoTime()} scale). */
    void fireBy(long deadline) {
        if (task != null) {
            if (firesAt - deadline <= 0) {
                return;
            }
            task.cancel(false);
        }
        firesAt = deadline;
        task = loop.schedule(this, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    void cancel() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    @Override
    public void run() {
        task = null;
        expired.run();
    }
}
