package dev.windlass.proxy.config;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A cluster's hosts by EDS priority and, within a priority, by locality with its load_balancing_weight: Envoy's
 * priority and locality-weighted load balancing, compiled once per endpoint update. Per request, with no
 * allocation:
 * <ol>
 *   <li>each priority's health is min(100, 1.4 × 100 × available / total), available being hosts neither
 *   EDS-unhealthy nor ejected (Envoy's overprovisioning factor 1.4);</li>
 *   <li>priority loads fill from priority 0 down, each taking at most its health of what is left; when the
 *   healths sum below 100, the loads are scaled up to 100 (Envoy's normalized total health); a level is drawn by
 *   those loads. A drawn level whose own share of available hosts is below the panic threshold is in panic (Envoy's):
 *   any of its hosts may be picked, ejected ones included; with no host available at all, priority 0's hosts in
 *   panic, or none when the threshold is 0;</li>
 *   <li>within the level, a locality is drawn by weight × its own health (same formula), when the level's
 *   localities carry weights; then the host by the cluster's policy among that locality's available hosts.</li>
 * </ol>
 */
final class PriorityLevels {
    private static final int OVERPROVISIONING = 140;

    /** Per level, per locality group: the host indices (into the balancer's usable endpoints). */
    private final int[][][] groups;
    /** Per level, per group: the EDS weight, 0 when the level's localities carry none. */
    private final int[][] weights;
    /** Per level, per group: hosts EDS listed, usable or not (the denominator of health). */
    private final int[][] totals;
    private final int[] levelTotals;
    /** Per level: all its host indices. */
    private final int[][] flat;

    private PriorityLevels(int[][][] groups, int[][] weights, int[][] totals) {
        this.groups = groups;
        this.flat = java.util.Arrays.stream(groups)
                .map(level -> java.util.Arrays.stream(level).flatMapToInt(java.util.Arrays::stream).toArray())
                .toArray(int[][]::new);
        this.weights = weights;
        this.totals = totals;
        this.levelTotals = new int[totals.length];
        for (int p = 0; p < totals.length; p++) {
            for (int t : totals[p]) {
                levelTotals[p] += t;
            }
        }
    }

    /** The levels of {@code all} (EDS order), or null when there is one priority and no locality weight. */
    static PriorityLevels of(List<UpstreamEndpoint> all) {
        boolean plain = all.stream().allMatch(e -> e.priority() == 0 && e.localityWeight() == 0);
        if (plain) {
            return null;
        }
        // level -> group -> [usable indices], plus totals; usable indices count only healthy endpoints, in order.
        TreeMap<Integer, TreeMap<Integer, List<Integer>>> members = new TreeMap<>();
        TreeMap<Integer, TreeMap<Integer, int[]>> counts = new TreeMap<>();
        TreeMap<Integer, TreeMap<Integer, Integer>> groupWeights = new TreeMap<>();
        int usable = 0;
        for (UpstreamEndpoint e : all) {
            List<Integer> hosts = members.computeIfAbsent(e.priority(), p -> new TreeMap<>())
                    .computeIfAbsent(e.locality(), g -> new ArrayList<>());
            counts.computeIfAbsent(e.priority(), p -> new TreeMap<>()).computeIfAbsent(e.locality(), g -> new int[1])[0]++;
            groupWeights.computeIfAbsent(e.priority(), p -> new TreeMap<>()).put(e.locality(), e.localityWeight());
            if (e.healthy()) {
                hosts.add(usable++);
            }
        }
        int levels = members.lastKey() + 1;
        int[][][] groups = new int[levels][][];
        int[][] weights = new int[levels][];
        int[][] totals = new int[levels][];
        for (int p = 0; p < levels; p++) {
            var byGroup = members.getOrDefault(p, new TreeMap<>());
            groups[p] = byGroup.values().stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
            totals[p] = counts.getOrDefault(p, new TreeMap<>()).values().stream().mapToInt(c -> c[0]).toArray();
            int[] w = groupWeights.getOrDefault(p, new TreeMap<>()).values().stream().mapToInt(Integer::intValue).toArray();
            weights[p] = java.util.Arrays.stream(w).anyMatch(x -> x == 0) ? new int[w.length] : w;
        }
        return new PriorityLevels(groups, weights, totals);
    }

    int levels() {
        return groups.length;
    }

    /**
     * The host for the next request, by the loads above, chosen by {@code policy} ({@code next}: the round-robin
     * counter, {@code active}: requests per host); -1 when the cluster has no host. {@code hosts} is the outlier
     * state by index (null without outlier detection).
     */
    int pick(OutlierHost[] hosts, double panicThreshold, ClusterConfig.LbPolicy policy, AtomicInteger next,
             AtomicIntegerArray active, SlowStartWeights slowStart) {
        int levels = groups.length;
        int healthSum = 0;
        for (int p = 0; p < levels; p++) {
            healthSum += health(p, hosts);
        }
        int normalized = Math.min(100, healthSum);
        if (normalized == 0) {
            // Nothing available: Envoy's panic on priority 0, unless the threshold is 0 (no healthy upstream).
            return panicThreshold > 0 ? choose(flat[0], null, policy, next, active, slowStart) : -1;
        }
        // A draw in [0, normalized) over the loads is a draw in [0, 100) over loads scaled by 100 / normalized.
        int draw = ThreadLocalRandom.current().nextInt(normalized);
        int remaining = 100;
        for (int p = 0; p < levels; p++) {
            int load = Math.min(health(p, hosts), remaining);
            remaining -= load;
            if (draw < load) {
                return choose(inLevel(p, hosts), panic(p, hosts, panicThreshold) ? null : hosts, policy, next, active,
                        slowStart);
            }
            draw -= load;
        }
        return choose(flat[levels - 1], hosts, policy, next, active, slowStart);
    }

    /** Envoy's per-priority panic: the level's share of available hosts is below the threshold. */
    private boolean panic(int p, OutlierHost[] hosts, double panicThreshold) {
        return levelTotals[p] > 0 && 100.0 * available(flat[p], hosts) / levelTotals[p] < panicThreshold;
    }

    /** The hosts to choose from in level p: all, or one locality drawn by weight × health. */
    private int[] inLevel(int p, OutlierHost[] hosts) {
        int[][] level = groups[p];
        if (weights[p].length < 2 || weights[p][0] == 0) {
            return flat[p];
        }
        long sum = 0;
        for (int g = 0; g < level.length; g++) {
            sum += (long) weights[p][g] * health(level[g], totals[p][g], hosts);
        }
        if (sum == 0) {
            return flat[p];
        }
        long draw = ThreadLocalRandom.current().nextLong(sum);
        for (int g = 0; g < level.length; g++) {
            draw -= (long) weights[p][g] * health(level[g], totals[p][g], hosts);
            if (draw < 0) {
                return level[g];
            }
        }
        return flat[p];
    }

    private int health(int p, OutlierHost[] hosts) {
        return health(flat[p], levelTotals[p], hosts);
    }

    private static int health(int[] members, int total, OutlierHost[] hosts) {
        return total == 0 ? 0 : (int) Math.min(100, (long) OVERPROVISIONING * available(members, hosts) / total);
    }

    private static int available(int[] members, OutlierHost[] hosts) {
        if (hosts == null) {
            return members.length;
        }
        int n = 0;
        for (int i : members) {
            if (!hosts[i].ejected()) {
                n++;
            }
        }
        return n;
    }

    /**
     * A host of {@code members} by the policy, among those not ejected (all of them when none is left); by
     * slow-start weight while endpoints warm up.
     */
    private static int choose(int[] members, OutlierHost[] hosts, ClusterConfig.LbPolicy policy, AtomicInteger next,
                              AtomicIntegerArray active, SlowStartWeights slowStart) {
        if (members.length == 0) {
            return -1;
        }
        int usable = available(members, hosts);
        OutlierHost[] filter = usable == 0 ? null : hosts;
        int warming = slowStart == null ? -1
                : slowStart.pick(members, filter, policy == ClusterConfig.LbPolicy.LEAST_REQUEST, active);
        if (warming >= 0) {
            return warming;
        }
        int count = usable == 0 ? members.length : usable;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return switch (policy) {
            case ROUND_ROBIN -> nth(members, Math.floorMod(next.getAndIncrement(), count), filter);
            case RANDOM, RING_HASH, MAGLEV -> nth(members, random.nextInt(count), filter);
            case LEAST_REQUEST -> {
                int a = nth(members, random.nextInt(count), filter);
                int b = nth(members, random.nextInt(count), filter);
                yield active.get(b) < active.get(a) ? b : a;
            }
        };
    }

    private static int nth(int[] members, int rank, OutlierHost[] hosts) {
        if (hosts == null) {
            return members[rank];
        }
        int seen = 0;
        for (int i : members) {
            if (!hosts[i].ejected() && seen++ == rank) {
                return i;
            }
        }
        return members[Math.min(rank, members.length - 1)]; // ejected meanwhile: any will do for one request
    }
}
