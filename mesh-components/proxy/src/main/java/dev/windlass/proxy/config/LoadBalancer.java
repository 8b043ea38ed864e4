package dev.windlass.proxy.config;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A cluster's usable endpoints (healthy or of unknown health) and its load-balancing state. Created with each
 * snapshot; the counters are atomics, so picking takes no lock. Least-request is Envoy's default: the better of two
 * random choices by active requests.
 */
public final class LoadBalancer {
    private final ClusterConfig cluster;
    private final List<UpstreamEndpoint> endpoints;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicIntegerArray active;

    public LoadBalancer(ClusterConfig cluster, List<UpstreamEndpoint> all) {
        this.cluster = cluster;
        this.endpoints = all.stream().filter(UpstreamEndpoint::healthy).toList();
        this.active = new AtomicIntegerArray(endpoints.size());
    }

    public ClusterConfig cluster() {
        return cluster;
    }

    public List<UpstreamEndpoint> endpoints() {
        return endpoints;
    }

    /** The index of the endpoint for the next request, or -1 when there is none; pair with {@link #release}. */
    public int pick() {
        int size = endpoints.size();
        if (size == 0) {
            return -1;
        }
        int chosen = switch (cluster.lbPolicy()) {
            case ROUND_ROBIN -> Math.floorMod(next.getAndIncrement(), size);
            case RANDOM -> ThreadLocalRandom.current().nextInt(size);
            case LEAST_REQUEST -> leastOfTwo(size);
        };
        active.incrementAndGet(chosen);
        return chosen;
    }

    private int leastOfTwo(int size) {
        if (size == 1) {
            return 0;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int a = random.nextInt(size);
        int b = random.nextInt(size - 1);
        if (b >= a) {
            b++;
        }
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
}
