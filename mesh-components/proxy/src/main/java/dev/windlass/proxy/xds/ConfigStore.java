package dev.windlass.proxy.xds;

import dev.windlass.proxy.config.ConfigSnapshot;

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
    private final LongAdder acks = new LongAdder();
    private final LongAdder nacks = new LongAdder();
    private final LongAdder connects = new LongAdder();
    private volatile boolean ready;
    private volatile boolean connected;
    private volatile String lastNack = "";
    private volatile long readyAtNanos;

    public ConfigSnapshot current() {
        return current.get();
    }

    public void publish(ConfigSnapshot snapshot) {
        current.set(snapshot);
        for (Consumer<ConfigSnapshot> watcher : watchers) {
            watcher.accept(snapshot);
        }
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
