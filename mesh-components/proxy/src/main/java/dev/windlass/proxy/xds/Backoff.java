package dev.windlass.proxy.xds;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential reconnect delay with jitter: base, doubling, capped; reset after a good response. */
public final class Backoff {
    private final long baseMillis;
    private final long capMillis;
    private long next;

    public Backoff(long baseMillis, long capMillis) {
        this.baseMillis = baseMillis;
        this.capMillis = capMillis;
        this.next = baseMillis;
    }

    public long nextDelayMillis() {
        long delay = next;
        next = Math.min(capMillis, next * 2);
        // Up to 20% jitter, so that proxies restarted together do not reconnect in step.
        return delay + ThreadLocalRandom.current().nextLong(delay / 5 + 1);
    }

    public void reset() {
        next = baseMillis;
    }
}
