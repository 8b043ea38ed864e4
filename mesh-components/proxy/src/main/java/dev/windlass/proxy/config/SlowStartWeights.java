package dev.windlass.proxy.config;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Envoy's slow start for a balancer's endpoints, from their join times (computed once per snapshot): while any
 * endpoint is younger than the window, each is drawn with weight max(minWeight, (age / window)^(1 / aggression))
 * (full weight once out of the window), divided by its active requests + 1 under LEAST_REQUEST (Envoy's weighted
 * least request, active_request_bias 1.0). Outside the window, or when every endpoint joined at once (equal weights),
 * the balancer's plain pick applies. Per request: one clock read and two passes over the candidates, no allocation.
 */
final class SlowStartWeights {
    private final long windowNanos;
    private final double aggression;
    private final double minWeight;
    private final long[] joinedNanos;
    /** After this instant no endpoint is in its window. */
    private final long endNanos;
    /** Whether the endpoints joined at different times (else their weights are always equal). */
    private final boolean unequal;

    private SlowStartWeights(ClusterConfig.SlowStart slowStart, long[] joinedNanos) {
        this.windowNanos = slowStart.windowNanos();
        this.aggression = slowStart.aggression();
        this.minWeight = slowStart.minWeight();
        this.joinedNanos = joinedNanos;
        long latest = Long.MIN_VALUE;
        long earliest = Long.MAX_VALUE;
        for (long joined : joinedNanos) {
            latest = Math.max(latest, joined);
            earliest = Math.min(earliest, joined);
        }
        this.unequal = joinedNanos.length > 1 && latest != earliest;
        this.endNanos = latest + windowNanos;
    }

    /** The weights of {@code endpoints} (the balancer's, by index), or null when the cluster has no slow start. */
    static SlowStartWeights of(ClusterConfig cluster, List<UpstreamEndpoint> endpoints, Map<String, Long> joined) {
        if (cluster.slowStart() == null || joined == null) {
            return null;
        }
        long[] times = new long[endpoints.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = joined.get(endpoints.get(i).address());
        }
        return new SlowStartWeights(cluster.slowStart(), times);
    }

    /** Envoy's slow-start factor of a host {@code ageNanos} old: (age / window)^(1 / aggression), at least minWeight. */
    static double factor(long ageNanos, long windowNanos, double aggression, double minWeight) {
        if (ageNanos >= windowNanos) {
            return 1.0;
        }
        // Envoy counts at least 1 ms of age.
        double time = Math.max(ageNanos, 1_000_000L) / (double) windowNanos;
        double scaled = aggression == 1.0 ? time : Math.pow(time, 1 / aggression);
        return Math.max(scaled, minWeight);
    }

    /**
     * A host among {@code members} (indices; all endpoints when null) drawn by weight, skipping those
     * {@code ejected} marks (null: none skipped); -1 when no endpoint is warming up now or none is a candidate.
     */
    int pick(int[] members, OutlierHost[] ejected, boolean leastRequest, AtomicIntegerArray active) {
        long now = System.nanoTime();
        if (!unequal || now - endNanos >= 0) {
            return -1;
        }
        int count = members == null ? joinedNanos.length : members.length;
        double sum = 0;
        for (int m = 0; m < count; m++) {
            sum += weight(members == null ? m : members[m], ejected, leastRequest, active, now);
        }
        if (sum <= 0) {
            return -1;
        }
        double draw = ThreadLocalRandom.current().nextDouble(sum);
        int last = -1;
        for (int m = 0; m < count; m++) {
            int host = members == null ? m : members[m];
            double w = weight(host, ejected, leastRequest, active, now);
            if (w > 0) {
                last = host;
                draw -= w;
                if (draw < 0) {
                    return host;
                }
            }
        }
        return last; // rounding left a sliver: the last candidate
    }

    private double weight(int host, OutlierHost[] ejected, boolean leastRequest, AtomicIntegerArray active, long now) {
        if (ejected != null && ejected[host].ejected()) {
            return 0;
        }
        double w = factor(now - joinedNanos[host], windowNanos, aggression, minWeight);
        return leastRequest ? w / (active.get(host) + 1) : w;
    }
}
