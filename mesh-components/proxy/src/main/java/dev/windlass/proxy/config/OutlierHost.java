package dev.windlass.proxy.config;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The outlier state of one host of one cluster, kept across config updates while the host stays in the cluster.
 * The consecutive-error counters are updated by every event loop; the ejection state changes under the
 * detector's lock and is read without one by the load balancer.
 */
public final class OutlierHost {
    final String address;
    final AtomicInteger consecutive5xx = new AtomicInteger();
    final AtomicInteger consecutiveGateway = new AtomicInteger();
    final AtomicInteger consecutiveLocalOrigin = new AtomicInteger();
    private volatile boolean ejected;
    /** Envoy's ejection backoff: grows with each ejection, shrinks by one per interval while the host is healthy. */
    int ejections;
    long ejectedAtNanos;
    long returnedAtNanos;

    OutlierHost(String address) {
        this.address = address;
    }

    public boolean ejected() {
        return ejected;
    }

    void eject(long now) {
        ejections++;
        ejectedAtNanos = now;
        ejected = true;
    }

    /** Back in the load-balancing set, with its counters cleared so that a few errors do not eject it again. */
    void restore(long now) {
        ejected = false;
        returnedAtNanos = now;
        consecutive5xx.set(0);
        consecutiveGateway.set(0);
        consecutiveLocalOrigin.set(0);
    }

    public String address() {
        return address;
    }
}
