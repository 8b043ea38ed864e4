package dev.windlass.proxy.xds;

import dev.windlass.proxy.config.ClusterConfig;
import dev.windlass.proxy.config.ConfigSnapshot;
import dev.windlass.proxy.config.OutlierDetectors;

import java.net.InetAddress;
import java.util.Map;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The current snapshot and the proxy's xDS health. The data path only calls {@link #current()}: one volatile
 * read. Readiness latches: once the first full config was applied it stays true, even while the discovery
 * server is away.
 */
public final class ConfigStore {
    private final AtomicReference<ConfigSnapshot> current = new AtomicReference<>(ConfigSnapshot.EMPTY);
    private final List<Consumer<ConfigSnapshot>> watchers = new CopyOnWriteArrayList<>();
    /** The last accepted xDS config and the last DNS table; what is current is the one applied to the other. */
    private ConfigSnapshot accepted = ConfigSnapshot.EMPTY;
    private Map<String, List<InetAddress>> dns = Map.of();
    private volatile Consumer<Map<String, ClusterConfig.DnsRefresh>> dnsNames = names -> { };
    private final OutlierDetectors outliers = new OutlierDetectors();
    private final dev.windlass.proxy.config.EndpointAges ages = new dev.windlass.proxy.config.EndpointAges();
    private final LongAdder acks = new LongAdder();
    private final LongAdder nacks = new LongAdder();
    private final LongAdder connects = new LongAdder();
    private volatile boolean ready;
    private volatile boolean connected;
    private volatile String lastNack = "";
    private volatile long readyAtNanos;

    /** The outlier state of every cluster's hosts, kept across snapshots. */
    public OutlierDetectors outliers() {
        return outliers;
    }

    /** When each cluster's endpoints joined, kept across snapshots (slow start). */
    public dev.windlass.proxy.config.EndpointAges ages() {
        return ages;
    }

    public ConfigSnapshot current() {
        return current.get();
    }

    /** A newly accepted xDS config, with the names of its DNS clusters resolved as far as known. */
    public void publish(ConfigSnapshot snapshot) {
        ConfigSnapshot resolved;
        synchronized (this) {
            accepted = snapshot;
            resolved = snapshot.withDns(dns);
            current.set(resolved);
        }
        dnsNames.accept(snapshot.dnsNames());
        for (Consumer<ConfigSnapshot> watcher : watchers) {
            watcher.accept(resolved);
        }
    }

    /** New DNS answers: the accepted config with them swapped in (listeners are unchanged, so no watcher is told). */
    public synchronized void dnsResolved(Map<String, List<InetAddress>> table) {
        dns = table;
        current.set(accepted.withDns(table));
    }

    /** Told the names the DNS clusters of each accepted config need (the DNS refresher). */
    public void onDnsNames(Consumer<Map<String, ClusterConfig.DnsRefresh>> consumer) {
        dnsNames = consumer;
    }

    /** Called on every new snapshot, on the ADS thread (the gateway binds its listeners' ports this way). */
    public void watch(Consumer<ConfigSnapshot> watcher) {
        watchers.add(watcher);
    }

    public boolean ready() {
        return ready;
    }

    public void markReady() {
        if (!ready) {
            readyAtNanos = System.nanoTime();
            ready = true;
        }
    }

    public long readyAtNanos() {
        return readyAtNanos;
    }

    public boolean connected() {
        return connected;
    }

    void connected(boolean value) {
        connected = value;
        if (value) {
            connects.increment();
        }
    }

    void acked() {
        acks.increment();
    }

    void nacked(String message) {
        nacks.increment();
        lastNack = message;
    }

    public long acks() {
        return acks.sum();
    }

    public long nacks() {
        return nacks.sum();
    }

    public long connects() {
        return connects.sum();
    }

    public String lastNack() {
        return lastNack;
    }
}
