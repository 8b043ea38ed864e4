package dev.windlass.discovery.ca;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The mesh CA the discovery server signs with now: the plugged-in one ({@link PluggedCa}) when its files are mounted,
 * else the self-signed one of the {@code windlass-ca} Secret. The mounted files are read again every few seconds (the
 * kubelet rewrites them some time after the Secret changes), which is how the root rotates without a restart: first a
 * trust bundle with the old and the new root, then a new signing certificate. A new set that does not hold together
 * is logged and ignored: the last good CA stays.
 */
public final class MeshCa implements Supplier<CertificateAuthority>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MeshCa.class);

    private final Path pluginDirectory;
    private final List<Consumer<CertificateAuthority>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("mesh-ca-files").factory());
    private volatile CertificateAuthority current;
    private String lastFiles;

    private MeshCa(Path pluginDirectory, CertificateAuthority first, String files) {
        this.pluginDirectory = pluginDirectory;
        this.current = first;
        this.lastFiles = files;
    }

    /** The plugged-in CA if {@code pluginDirectory} holds one (refused if it does not hold together), else the Secret's. */
    public static MeshCa load(KubernetesClient client, String namespace, Path pluginDirectory) {
        String files = files(pluginDirectory);
        Optional<CertificateAuthority> plugged = plugged(pluginDirectory);
        plugged.ifPresent(ca -> LOG.info("CA: plugged in from {} (Secret {}), {} root(s) trusted", pluginDirectory,
                PluggedCa.SECRET, ca.roots().size()));
        return new MeshCa(pluginDirectory, plugged.orElseGet(() -> CaSecret.loadOrCreate(client, namespace)), files);
    }

    /** A CA that never changes (tests). */
    public static MeshCa fixed(CertificateAuthority ca) {
        return new MeshCa(null, ca, "");
    }

    @Override
    public CertificateAuthority get() {
        return current;
    }

    /** Runs {@code listener} with every new CA, on the watcher's thread. */
    public void onChange(Consumer<CertificateAuthority> listener) {
        listeners.add(listener);
    }

    /** Reads the plugged-in files again every {@code period}. */
    public MeshCa watch(Duration period) {
        if (pluginDirectory != null) {
            watcher.scheduleWithFixedDelay(this::check, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** One look at the files: a changed, valid set becomes the CA; anything else keeps the current one. */
    void check() {
        String files = files(pluginDirectory);
        if (files.equals(lastFiles)) {
            return;
        }
        lastFiles = files;
        try {
            Optional<CertificateAuthority> plugged = plugged(pluginDirectory);
            if (plugged.isEmpty()) {
                LOG.warn("CA: {} no longer holds a plugged-in CA; keeping the current one until a restart", pluginDirectory);
                return;
            }
            current = plugged.get();
            LOG.info("CA: the plugged-in CA changed (signing serial {}, {} root(s) trusted)",
                    current.certificate().getSerialNumber().toString(16), current.roots().size());
            listeners.forEach(listener -> listener.accept(current));
        } catch (RuntimeException e) {
            LOG.error("CA: the plugged-in CA's new files are refused, keeping the current CA: {}", e.getMessage());
        }
    }

    private static Optional<CertificateAuthority> plugged(Path directory) {
        try {
            return PluggedCa.read(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("plugged-in CA: cannot read " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The files' contents together: a cheap way to see that the kubelet has written a new set. */
    private static String files(Path directory) {
        StringBuilder all = new StringBuilder();
        for (String file : List.of(PluggedCa.CA_CERT, PluggedCa.CA_KEY, PluggedCa.CERT_CHAIN, PluggedCa.ROOT_CERT)) {
            try {
                all.append(file).append('\n').append(Files.readString(directory.resolve(file)));
            } catch (IOException e) {
                all.append(file).append(" absent\n");
            }
        }
        return all.toString();
    }

    @Override
    public void close() {
        watcher.shutdownNow();
    }
}
