package dev.windlass.proxy.tls;

import dev.windlass.proxy.Log;
import dev.windlass.proxy.config.CredentialRef;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The current version of every credential some filter chain uses, re-read on a fixed period so that a rotated
 * file or Secret reaches new handshakes without a restart; subscribers hear of each new version. The first read
 * happens when a chain subscribes, so a new chain is compiled with its certificate before its listener serves.
 */
public final class CredentialStore implements AutoCloseable {
    private final CredentialReader reader;
    private final Map<CredentialRef, Watched> watched = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller;

    private static final class Watched {
        volatile Credential current;
        final List<Runnable> listeners = new CopyOnWriteArrayList<>();
        /** Watched for origination (client certificates, CAs), which asks for the current version per connection. */
        volatile boolean pinned;
    }

    CredentialStore(CredentialReader reader, Duration period) {
        this.reader = reader;
        this.poller = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("tls-credentials").daemon().factory());
        poller.scheduleWithFixedDelay(this::refreshAll, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts watching {@code ref} for {@code onChange} and returns its current version. */
    synchronized Credential subscribe(CredentialRef ref, Runnable onChange) {
        Watched entry = watched.computeIfAbsent(ref, r -> {
            Watched fresh = new Watched();
            fresh.current = reader.read(r);
            report(r, fresh.current);
            return fresh;
        });
        entry.listeners.add(onChange);
        return entry.current;
    }

    /**
     * Starts watching {@code ref} for TLS origination, which reads {@link #current} at each new connection; read
     * once now, off the event loops. Kept until no accepted cluster uses it ({@link #unwatchAllBut}).
     */
    synchronized Credential watch(CredentialRef ref) {
        Watched entry = watched.computeIfAbsent(ref, r -> {
            Watched fresh = new Watched();
            fresh.current = reader.read(r);
            report(r, fresh.current);
            return fresh;
        });
        entry.pinned = true;
        return entry.current;
    }

    /** Stops watching for origination what {@code inUse} leaves out; chains' subscriptions keep theirs. */
    synchronized void unwatchAllBut(Set<CredentialRef> inUse) {
        watched.entrySet().removeIf(entry -> {
            Watched w = entry.getValue();
            if (w.pinned && !inUse.contains(entry.getKey())) {
                w.pinned = false;
                return w.listeners.isEmpty();
            }
            return false;
        });
    }

    /** Whether {@code ref} is watched, for origination or by a chain. */
    boolean watches(CredentialRef ref) {
        return watched.containsKey(ref);
    }

    synchronized void unsubscribe(CredentialRef ref, Runnable onChange) {
        Watched entry = watched.get(ref);
        if (entry != null) {
            entry.listeners.remove(onChange);
            if (entry.listeners.isEmpty() && !entry.pinned) {
                watched.remove(ref);
            }
        }
    }

    Credential current(CredentialRef ref) {
        Watched entry = watched.get(ref);
        return entry == null ? new Credential.Unavailable(ref + ": not watched") : entry.current;
    }

    /** Re-reads every credential now, off the caller's thread (a new workload certificate was issued). */
    void refreshSoon() {
        poller.execute(this::refreshAll);
    }

    private void refreshAll() {
        for (Map.Entry<CredentialRef, Watched> entry : watched.entrySet()) {
            try {
                refresh(entry.getKey(), entry.getValue());
            } catch (RuntimeException e) {
                Log.warn("tls: re-reading " + entry.getKey() + " failed: " + e);
            }
        }
    }

    private void refresh(CredentialRef ref, Watched entry) {
        Credential fresh = reader.read(ref);
        if (fresh.fingerprint().equals(entry.current.fingerprint())) {
            return;
        }
        entry.current = fresh;
        report(ref, fresh);
        entry.listeners.forEach(Runnable::run);
    }

    private static void report(CredentialRef ref, Credential credential) {
        if (credential instanceof Credential.Unavailable unavailable) {
            Log.warn("tls: " + unavailable.reason() + "; filter chains using it refuse TLS handshakes");
        } else {
            Log.info("tls: " + ref + " loaded, version " + credential.fingerprint());
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
