package dev.windlass.proxy.config;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ObjLongConsumer;

/**
 * Envoy's outlier detector for one cluster of the proxy. Responses and local-origin failures are counted per host
 * on the response path (atomics, no allocation); a host reaching a consecutive-error threshold is ejected at once,
 * within max_ejection_percent (one host may always be ejected) and with the detector's enforcement chance. A sweep
 * every interval returns the hosts whose ejection time (base × times ejected) has passed.
 */
public final class OutlierDetector {
    /** What ejected a host, as Envoy's OutlierEjectionType names it in its stats. */
    public enum Kind {
        CONSECUTIVE_5XX, CONSECUTIVE_GATEWAY_FAILURE, CONSECUTIVE_LOCAL_ORIGIN_FAILURE;

        String statName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A failure the proxy saw itself: Envoy's router reports a reset as a connect failure too. */
    public enum LocalOrigin { CONNECT_FAILED, TIMEOUT }

    private final String cluster;
    private final OutlierPolicy policy;
    private final Map<String, OutlierHost> hosts = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();
    private final LongAdder total = new LongAdder();
    private final LongAdder overflow = new LongAdder();
    private final LongAdder[] detected = adders();
    private final LongAdder[] enforced = adders();

    OutlierDetector(String cluster, OutlierPolicy policy) {
        this.cluster = cluster;
        this.policy = policy;
    }

    public String cluster() {
        return cluster;
    }

    public OutlierPolicy policy() {
        return policy;
    }

    public int ejectionsActive() {
        return active.get();
    }

    OutlierHost host(String address) {
        return hosts.computeIfAbsent(address, OutlierHost::new);
    }

    /** The hosts of the cluster are now {@code addresses}: the others are forgotten (an ejected one no longer counts). */
    synchronized void retain(Set<String> addresses) {
        hosts.values().removeIf(h -> {
            boolean gone = !addresses.contains(h.address);
            if (gone && h.ejected()) {
                active.decrementAndGet();
            }
            return gone;
        });
    }

    /** An upstream response head: a 5xx counts (502-504 also as gateway failures); anything else clears both. */
    public void response(OutlierHost host, int status) {
        if (status >= 500 && status < 600) {
            if (status >= 502 && status <= 504) {
                if (host.consecutiveGateway.incrementAndGet() == policy.consecutiveGateway()) {
                    detected(host, Kind.CONSECUTIVE_GATEWAY_FAILURE);
                }
            } else {
                clear(host.consecutiveGateway);
            }
            if (host.consecutive5xx.incrementAndGet() == policy.consecutive5xx()) {
                detected(host, Kind.CONSECUTIVE_5XX);
            }
        } else {
            clear(host.consecutive5xx);
            clear(host.consecutiveGateway);
        }
    }

    /**
     * A connect failure, reset or timeout: counted on its own when local-origin errors are split, else as the
     * 503 or 504 the proxy answers for it, as Envoy does.
     */
    public void localOriginFailure(OutlierHost host, LocalOrigin what) {
        if (!policy.splitLocalOrigin()) {
            response(host, what == LocalOrigin.TIMEOUT ? 504 : 503);
        } else if (host.consecutiveLocalOrigin.incrementAndGet() == policy.consecutiveLocalOrigin()) {
            detected(host, Kind.CONSECUTIVE_LOCAL_ORIGIN_FAILURE);
        }
    }

    /** A connection to the host was made: with split errors this clears its local-origin count. */
    public void connected(OutlierHost host) {
        if (policy.splitLocalOrigin()) {
            clear(host.consecutiveLocalOrigin);
        }
    }

    /**
     * A TCP proxy connection to the host was made: Envoy's tcp_proxy reports it as the final outcome, which clears
     * the local-origin count when errors are split and counts as a success otherwise.
     */
    public void connectedFinal(OutlierHost host) {
        if (policy.splitLocalOrigin()) {
            clear(host.consecutiveLocalOrigin);
        } else {
            response(host, 200);
        }
    }

    private static void clear(AtomicInteger counter) {
        if (counter.get() != 0) {
            counter.set(0);
        }
    }

    private synchronized void detected(OutlierHost host, Kind kind) {
        if (host.ejected() || hosts.get(host.address) != host) {
            return;
        }
        detected[kind.ordinal()].increment();
        switch (kind) {
            case CONSECUTIVE_5XX -> host.consecutive5xx.set(0);
            case CONSECUTIVE_GATEWAY_FAILURE -> host.consecutiveGateway.set(0);
            case CONSECUTIVE_LOCAL_ORIGIN_FAILURE -> host.consecutiveLocalOrigin.set(0);
        }
        double percent = 100.0 * (active.get() + 1) / hosts.size();
        if (percent > policy.maxEjectionPercent() && active.get() > 0) {
            overflow.increment();
            return;
        }
        int enforcing = switch (kind) {
            case CONSECUTIVE_5XX -> policy.enforcing5xx();
            case CONSECUTIVE_GATEWAY_FAILURE -> policy.enforcingGateway();
            case CONSECUTIVE_LOCAL_ORIGIN_FAILURE -> policy.enforcingLocalOrigin();
        };
        if (enforcing >= 100 || ThreadLocalRandom.current().nextInt(100) < enforcing) {
            host.eject(System.nanoTime());
            active.incrementAndGet();
            total.increment();
            enforced[kind.ordinal()].increment();
        }
    }

    /** The interval's sweep: hosts whose ejection time has passed return; healthy ones shed one step of backoff. */
    synchronized void sweep(long now) {
        long interval = policy.intervalMillis() * 1_000_000L;
        for (OutlierHost host : hosts.values()) {
            if (host.ejected()) {
                if (now - host.ejectedAtNanos >= policy.ejectionMillis(host.ejections) * 1_000_000L) {
                    host.restore(now);
                    active.decrementAndGet();
                }
            } else if (host.ejections > 0 && now - host.returnedAtNanos >= interval) {
                host.ejections--;
            }
        }
    }

    /** Envoy's outlier_detection stats of the cluster, by name. */
    public void stats(ObjLongConsumer<String> sink) {
        sink.accept("ejections_active", active.get());
        sink.accept("ejections_total", total.sum());
        sink.accept("ejections_enforced_total", total.sum());
        sink.accept("ejections_overflow", overflow.sum());
        for (Kind kind : Kind.values()) {
            sink.accept("ejections_enforced_" + kind.statName(), enforced[kind.ordinal()].sum());
            sink.accept("ejections_detected_" + kind.statName(), detected[kind.ordinal()].sum());
        }
    }

    long ejectionsTotal() {
        return total.sum();
    }

    private static LongAdder[] adders() {
        LongAdder[] adders = new LongAdder[Kind.values().length];
        for (int i = 0; i < adders.length; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }
}
