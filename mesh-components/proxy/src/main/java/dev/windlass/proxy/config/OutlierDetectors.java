package dev.windlass.proxy.config;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The proxy's outlier detectors by cluster name, each with its sweep every interval on one shared timer thread.
 * A detector lives while its cluster keeps the same outlier policy; a changed policy starts a new one (Envoy
 * builds a new cluster, and a new detector, on every cluster change), a cluster without one has none.
 */
public final class OutlierDetectors {
    private final Map<String, Running> byCluster = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService timer;

    private record Running(OutlierDetector detector, ScheduledFuture<?> sweep) {
    }

    /** The cluster's detector, or null when it has no outlier detection. */
    synchronized OutlierDetector of(ClusterConfig cluster) {
        Running running = byCluster.get(cluster.name());
        if (running != null && running.detector().policy().equals(cluster.outlier())) {
            return running.detector();
        }
        if (running != null) {
            running.sweep().cancel(false);
            byCluster.remove(cluster.name());
        }
        if (cluster.outlier() == null) {
            return null;
        }
        OutlierDetector detector = new OutlierDetector(cluster.name(), cluster.outlier());
        long interval = cluster.outlier().intervalMillis();
        ScheduledFuture<?> sweep = timer().scheduleAtFixedRate(() -> detector.sweep(System.nanoTime()), interval,
                interval, TimeUnit.MILLISECONDS);
        byCluster.put(cluster.name(), new Running(detector, sweep));
        return detector;
    }

    /** Only these clusters exist now: the detectors of the others stop. */
    synchronized void retain(Set<String> clusters) {
        byCluster.entrySet().removeIf(e -> {
            boolean gone = !clusters.contains(e.getKey());
            if (gone) {
                e.getValue().sweep().cancel(false);
            }
            return gone;
        });
    }

    /** The live detectors by cluster name, sorted (for /stats). */
    public Map<String, OutlierDetector> detectors() {
        Map<String, OutlierDetector> sorted = new TreeMap<>();
        byCluster.forEach((name, running) -> sorted.put(name, running.detector()));
        return sorted;
    }

    /** Hosts ejected now, over every cluster of the proxy. */
    public long ejectionsActive() {
        return byCluster.values().stream().mapToLong(r -> r.detector().ejectionsActive()).sum();
    }

    /** Ejections so far, over the clusters the proxy has now. */
    public long ejectionsTotal() {
        return byCluster.values().stream().mapToLong(r -> r.detector().ejectionsTotal()).sum();
    }

    /** Stops every sweep (the proxy stops). */
    public synchronized void close() {
        retain(Set.of());
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private ScheduledExecutorService timer() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "outlier-sweep");
                thread.setDaemon(true);
                return thread;
            });
        }
        return timer;
    }
}
