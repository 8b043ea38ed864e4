package dev.windlass.proxy.http;

import dev.windlass.proxy.config.ClusterConfig;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live counts of one cluster against its {@link ClusterConfig.Limits}, shared by every event loop of the
 * proxy (Envoy's circuit breakers are per cluster and per proxy): active requests, open connections, and the
 * requests waiting for a connection. A waiter is woken (on its own loop, by the runnable it left) when a
 * connection of the cluster closes. The limits are the immutable ones of the current config.
 */
final class CircuitBreaker {
    private final String cluster;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger retries = new AtomicInteger();
    private final Queue<Runnable> waiters = new ConcurrentLinkedQueue<>();
    private volatile ClusterConfig.Limits limits;

    CircuitBreaker(String cluster, ClusterConfig.Limits limits) {
        this.cluster = cluster;
        this.limits = limits;
    }

    String cluster() {
        return cluster;
    }

    ClusterConfig.Limits limits() {
        return limits;
    }

    void update(ClusterConfig.Limits current) {
        if (limits != current) {
            limits = current;
        }
    }

    /** One more active request, or false when max_requests is reached. */
    boolean tryRequest() {
        return tryIncrement(requests, limits.maxRequests());
    }

    void requestDone() {
        requests.decrementAndGet();
    }

    /** One more outstanding retry, or false when max_retries is reached. */
    boolean tryRetry() {
        return tryIncrement(retries, limits.maxRetries());
    }

    void retryDone() {
        retries.decrementAndGet();
    }

    /** One more connection, or false when max_connections is reached. */
    boolean tryConnection() {
        return tryIncrement(connections, limits.maxConnections());
    }

    /** A connection of the cluster closed (or failed to open): its place goes to the longest waiter. */
    void connectionClosed() {
        connections.decrementAndGet();
        wakeOne();
    }

    /**
     * Waits for a connection, or false when max_pending_requests is reached. After queueing, a place freed in
     * the meantime wakes a waiter at once, so that no waiter sleeps beside a free place.
     */
    boolean tryPend(Runnable waiter) {
        if (!tryIncrement(pending, limits.maxPendingRequests())) {
            return false;
        }
        enqueue(waiter);
        return true;
    }

    /** A woken waiter that found no place after all waits again, ahead of the limit: it was admitted already. */
    void pendAgain(Runnable waiter) {
        pending.incrementAndGet();
        enqueue(waiter);
    }

    private void enqueue(Runnable waiter) {
        waiters.add(waiter);
        if (connections.get() < limits.maxConnections()) {
            wakeOne();
        }
    }

    /** A stream of an h2c connection of the cluster ended: the longest waiter may take it. */
    void placeFreed() {
        wakeOne();
    }

    /** Whether requests wait for a connection: a freed connection then closes and its place goes to them. */
    boolean hasWaiters() {
        return !waiters.isEmpty();
    }

    private void wakeOne() {
        Runnable waiter = waiters.poll();
        if (waiter != null) {
            pending.decrementAndGet();
            waiter.run();
        }
    }

    private static boolean tryIncrement(AtomicInteger counter, int max) {
        while (true) {
            int now = counter.get();
            if (now >= max) {
                return false;
            }
            if (counter.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }
}
