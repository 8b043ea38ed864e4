package dev.windlass.bench.ads;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the proxies that ACKed a new version of one type since the watch began, and when the last one did. */
final class PushWatch {
    private final String type;
    private final Map<Integer, String> before = new ConcurrentHashMap<>();
    private final AtomicInteger remaining;
    private final CountDownLatch allAcked = new CountDownLatch(1);
    private final long start = System.nanoTime();
    private volatile long end;

    PushWatch(String type, List<SimulatedProxy> proxies) {
        this.type = type;
        for (SimulatedProxy proxy : proxies) {
            String version = proxy.version(type);
            before.put(proxy.index(), version == null ? "" : version);
        }
        remaining = new AtomicInteger(proxies.size());
    }

    void acked(SimulatedProxy proxy, String ackedType, String version) {
        if (ackedType.equals(type)) {
            String previous = before.get(proxy.index());
            if (previous != null && !previous.equals(version) && before.remove(proxy.index(), previous)
                    && remaining.decrementAndGet() == 0) {
                end = System.nanoTime();
                allAcked.countDown();
            }
        }
    }

    /** Milliseconds from the watch's start until the last proxy ACKed, or -1 on timeout. */
    double awaitAll(Duration timeout) throws InterruptedException {
        if (!allAcked.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return -1;
        }
        return (end - start) / 1e6;
    }

    long remaining() {
        return remaining.get();
    }
}
