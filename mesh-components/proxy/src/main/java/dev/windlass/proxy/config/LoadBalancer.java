package dev.windlass.proxy.config;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.Collectors;

/**
 * A cluster's usable endpoints (healthy or of unknown health) and its load-balancing state. Created with each
 * snapshot; the counters are atomics, so picking takes no lock. Least-request is Envoy's default: the better of two
 * random choices by active requests. With outlier detection, ejected hosts are skipped unless the share of
 * hosts left is below the panic threshold (then all are used, as Envoy does); none left and no panic: no host.
 * EDS priorities and locality weights ({@link PriorityLevels}) choose the hosts to pick from first; a ring-hash
 * cluster's ring spans all priorities (Windlass refuses localityLbSetting with consistentHash). With slow start, a
 * round robin or least request pick is drawn by {@link SlowStartWeights} while endpoints warm up.
 */
public final class LoadBalancer {
    /** Envoy's healthy_panic_threshold default, for priority levels without outlier detection. */
    private static final double DEFAULT_PANIC = 50;
    private final ClusterConfig cluster;
    private final List<UpstreamEndpoint> endpoints;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicIntegerArray active;
    private final OutlierDetector outlier;
    /** The outlier state of each endpoint, by index; null without outlier detection. */
    private final OutlierHost[] hosts;
    /** The ring or Maglev table of a consistent-hash cluster, else null. */
    private final HashTable ring;
    /** EDS priorities and locality weights, else null (one priority, no weights: the plain pick below). */
    private final PriorityLevels levels;
    /** The endpoints' slow-start weights, else null. */
    private final SlowStartWeights slowStart;

    public LoadBalancer(ClusterConfig cluster, List<UpstreamEndpoint> all) {
        this(cluster, all, null);
    }

    LoadBalancer(ClusterConfig cluster, List<UpstreamEndpoint> all, OutlierDetector outlier) {
        this(cluster, all, outlier, null);
    }

    /** {@code joined}: the endpoints' join times by address ({@link EndpointAges}), null without slow start. */
    LoadBalancer(ClusterConfig cluster, List<UpstreamEndpoint> all, OutlierDetector outlier, Map<String, Long> joined) {
        this.cluster = cluster;
        this.endpoints = all.stream().filter(UpstreamEndpoint::healthy).toList();
        this.slowStart = SlowStartWeights.of(cluster, endpoints, joined);
        this.levels = PriorityLevels.of(all);
        this.active = new AtomicIntegerArray(endpoints.size());
        this.outlier = outlier;
        this.ring = HashTable.of(cluster, endpoints);
        if (outlier == null) {
            this.hosts = null;
        } else {
            Set<String> addresses = endpoints.stream().map(UpstreamEndpoint::address).collect(Collectors.toSet());
            outlier.retain(addresses);
            this.hosts = endpoints.stream().map(e -> outlier.host(e.address())).toArray(OutlierHost[]::new);
        }
    }

    public ClusterConfig cluster() {
        return cluster;
    }

    public List<UpstreamEndpoint> endpoints() {
        return endpoints;
    }

    /** A request's hash key (the value of the route's hash header), for {@link #pick(long)}. */
    public static long hashOf(CharSequence key) {
        return HashRing.hash(key);
    }

    /**
     * The endpoint for a request with this hash: on a ring-hash or Maglev cluster the first usable one at or
     * after it (skipping ejected hosts unless in panic), else as {@link #pick()}; -1 when there is none.
     */
    public int pick(long hash) {
        int size = endpoints.size();
        if (ring == null || size == 0) {
            return pick();
        }
        int usable = usable(size);
        if (usable == 0) {
            return -1;
        }
        int position = ring.position(hash);
        int chosen = ring.host(position, 0);
        for (int step = 1; usable < size && hosts[chosen].ejected() && step < ring.size(); step++) {
            chosen = ring.host(position, step);
        }
        active.incrementAndGet(chosen);
        return chosen;
    }

    /**
     * The index of the endpoint for the next request, or -1 when there is none; pair with {@link #release}. A
     * ring-hash cluster picks at random when the request has no hash key, as Envoy does.
     */
    public int pick() {
        if (levels != null) {
            int chosen = levels.pick(hosts, outlier == null ? DEFAULT_PANIC : outlier.policy().panicThresholdPercent(),
                    cluster.lbPolicy(), next, active, slowStart);
            if (chosen >= 0) {
                active.incrementAndGet(chosen);
            }
            return chosen;
        }
        int size = endpoints.size();
        int usable = size == 0 ? 0 : usable(size);
        if (usable == 0) {
            return -1;
        }
        int chosen = slowStart == null ? -1 : slowStart.pick(null, usable < size ? hosts : null,
                cluster.lbPolicy() == ClusterConfig.LbPolicy.LEAST_REQUEST, active);
        if (chosen >= 0) {
            active.incrementAndGet(chosen);
            return chosen;
        }
        chosen = switch (cluster.lbPolicy()) {
            case ROUND_ROBIN -> nth(Math.floorMod(next.getAndIncrement(), usable), usable);
            case RANDOM, RING_HASH, MAGLEV -> nth(ThreadLocalRandom.current().nextInt(usable), usable);
            case LEAST_REQUEST -> leastOfTwo(usable);
        };
        active.incrementAndGet(chosen);
        return chosen;
    }

    /** How many endpoints may be picked: all of them, or (while hosts are ejected and no panic) the others. */
    private int usable(int size) {
        if (outlier == null || outlier.ejectionsActive() == 0) {
            return size;
        }
        int healthy = 0;
        for (OutlierHost host : hosts) {
            if (!host.ejected()) {
                healthy++;
            }
        }
        return 100.0 * healthy / size < outlier.policy().panicThresholdPercent() ? size : healthy;
    }

    /** The index of the {@code rank}th usable endpoint. */
    private int nth(int rank, int usable) {
        if (usable == endpoints.size()) {
            return rank;
        }
        int seen = 0;
        for (int i = 0; i < hosts.length; i++) {
            if (!hosts[i].ejected() && seen++ == rank) {
                return i;
            }
        }
        // A host was ejected meanwhile: any endpoint will do for this one request.
        return Math.min(rank, endpoints.size() - 1);
    }

    private int leastOfTwo(int usable) {
        if (usable == 1) {
            return nth(0, usable);
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int a = random.nextInt(usable);
        int b = random.nextInt(usable - 1);
        if (b >= a) {
            b++;
        }
        a = nth(a, usable);
        b = nth(b, usable);
        return active.get(b) < active.get(a) ? b : a;
    }

    public UpstreamEndpoint endpoint(int index) {
        return endpoints.get(index);
    }

    public void release(int index) {
        active.decrementAndGet(index);
    }

    public int activeRequests(int index) {
        return active.get(index);
    }

    /** Whether outlier detection has ejected the endpoint. */
    public boolean ejected(int index) {
        return hosts != null && hosts[index].ejected();
    }

    /** An upstream response head from the endpoint, for outlier detection. */
    public void response(int index, int status) {
        if (outlier != null) {
            outlier.response(hosts[index], status);
        }
    }

    /** A connection to the endpoint was made. */
    public void connected(int index) {
        if (outlier != null) {
            outlier.connected(hosts[index]);
        }
    }

    /** A TCP proxy connection to the endpoint was made (the whole outcome, for outlier detection). */
    public void connectedFinal(int index) {
        if (outlier != null) {
            outlier.connectedFinal(hosts[index]);
        }
    }

    /** A connect failure, reset or timeout of the endpoint, for outlier detection. */
    public void localOriginFailure(int index, OutlierDetector.LocalOrigin what) {
        if (outlier != null) {
            outlier.localOriginFailure(hosts[index], what);
        }
    }
}
