package dev.windlass.proxy.identity;

import com.google.protobuf.DynamicMessage;
import dev.windlass.caprotocol.IstioCaProtocol;
import dev.windlass.caprotocol.Pkcs10;
import dev.windlass.contract.SpiffeId;
import dev.windlass.proxy.Log;
import dev.windlass.proxy.tls.Pem;
import dev.windlass.proxy.tls.TrustBundle;
import dev.windlass.proxy.xds.Backoff;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The proxy's workload certificate: a fresh key and a PKCS#10 request for the pod's SPIFFE id, signed by the
 * discovery server's CA over the authenticated channel, renewed (with a new key) at 80 % of its lifetime, as
 * Istio's agent does; after a failure, retried with backoff while the current certificate stays in use. All of it
 * runs on the xDS executor, without blocking it.
 */
public final class WorkloadIdentity implements AutoCloseable {
    /** One certificate: the key never leaves this process; the chain is the leaf then the CA. */
    public record Certificate(KeyPair keys, List<X509Certificate> chain) {
        public X509Certificate leaf() {
            return chain.getFirst();
        }
    }

    /** How often the mounted root file is read again; the kubelet takes up to a minute or so to rewrite it. */
    private static final Duration TRUST_RELOAD = Duration.ofSeconds(5);
    private static final WorkloadIdentity NONE = new WorkloadIdentity(null, null, Duration.ZERO, null,
            TrustBundle.fixed(List.of()));

    private final Channel discovery;
    private final SpiffeId id;
    private final Duration ttl;
    private final ScheduledExecutorService executor;
    private final Backoff backoff = new Backoff(1_000, 30_000);
    private final AtomicReference<Certificate> current = new AtomicReference<>();
    private final TrustBundle trustBundle;
    private final List<Runnable> renewed = new CopyOnWriteArrayList<>();
    private volatile long version;
    private volatile ScheduledFuture<?> next;
    private volatile ScheduledFuture<?> trustReloads;
    private volatile boolean closed;

    private WorkloadIdentity(Channel discovery, SpiffeId id, Duration ttl, ScheduledExecutorService executor,
                             TrustBundle trustBundle) {
        this.discovery = discovery;
        this.id = id;
        this.ttl = ttl;
        this.executor = executor;
        this.trustBundle = trustBundle;
    }

    /** A proxy without the authenticated channel (no CA root): no certificate, ever. */
    public static WorkloadIdentity none() {
        return NONE;
    }

    /**
     * Requests the first certificate now; {@code ttl} is what the proxy asks for (the CA may cap it);
     * {@code trustBundle} are the mesh's roots, which peers' certificates must chain to, followed as the mounted
     * file changes: a new bundle counts as a new version, as a new certificate does.
     */
    public static WorkloadIdentity start(Channel discovery, SpiffeId id, Duration ttl, ScheduledExecutorService executor,
                                         TrustBundle trustBundle) {
        WorkloadIdentity identity = new WorkloadIdentity(discovery, id, ttl, executor, trustBundle);
        identity.schedule(0);
        if (trustBundle.followsFile()) {
            identity.trustReloads = executor.scheduleWithFixedDelay(identity::reloadTrust, TRUST_RELOAD.toMillis(),
                    TRUST_RELOAD.toMillis(), TimeUnit.MILLISECONDS);
        }
        return identity;
    }

    private void reloadTrust() {
        if (trustBundle.reload()) {
            version++;
            renewed.forEach(Runnable::run);
            Log.info("trust bundle changed: " + trustBundle.certificates().size() + " root(s), serials "
                    + trustBundle.certificates().stream().map(c -> c.getSerialNumber().toString(16)).toList());
        }
    }

    public Optional<Certificate> current() {
        return Optional.ofNullable(current.get());
    }

    /** Whether this proxy has an identity at all (false: {@link #none()}, no CA root to fetch one with). */
    public boolean exists() {
        return this != NONE;
    }

    /** The mesh's trust bundle now; empty for a proxy without an identity. */
    public List<X509Certificate> trustBundle() {
        return trustBundle.certificates();
    }

    /**
     * Grows by one with every certificate issued and every new trust bundle: compiled TLS contexts compare it to
     * know they are stale.
     */
    public long version() {
        return version;
    }

    /** Runs {@code listener} after every new certificate or bundle (on the xDS executor; it must not block). */
    public void onRenewed(Runnable listener) {
        renewed.add(listener);
    }

    private void schedule(long delayMillis) {
        if (!closed) {
            next = executor.schedule(this::request, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void request() {
        KeyPair keys = Pkcs10.newKeyPair();
        Instant asked = Instant.now();
        ClientCalls.asyncUnaryCall(discovery.newCall(IstioCaProtocol.CREATE_CERTIFICATE,
                        CallOptions.DEFAULT.withDeadlineAfter(15, TimeUnit.SECONDS)),
                IstioCaProtocol.request(Pkcs10.pem(keys, id), ttl.toSeconds()), new StreamObserver<>() {
                    @Override
                    public void onNext(DynamicMessage response) {
                        issued(keys, asked, IstioCaProtocol.chain(response));
                    }

                    @Override
                    public void onError(Throwable t) {
                        long delay = backoff.nextDelayMillis();
                        Log.warn("workload certificate for " + id + " not issued (" + t.getMessage() + "); retrying in "
                                + delay + " ms" + (current.get() == null ? "" : ", keeping the current one"));
                        schedule(delay);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
    }

    private void issued(KeyPair keys, Instant asked, List<String> chainPem) {
        try {
            List<X509Certificate> chain = List.copyOf(Pem.certificates(
                    String.join("\n", chainPem).getBytes(StandardCharsets.US_ASCII), "the CA's answer"));
            Instant notAfter = chain.getFirst().getNotAfter().toInstant();
            Instant renewAt = asked.plus(Duration.between(asked, notAfter).multipliedBy(8).dividedBy(10));
            current.set(new Certificate(keys, chain));
            version++;
            renewed.forEach(Runnable::run);
            backoff.reset();
            Log.info("workload certificate for " + id + " (serial " + chain.getFirst().getSerialNumber().toString(16)
                    + ") valid until " + notAfter + ", renewed at " + renewAt);
            schedule(Math.max(0, Duration.between(Instant.now(), renewAt).toMillis()));
        } catch (GeneralSecurityException | RuntimeException e) {
            Log.warn("workload certificate for " + id + ": the CA's answer is unusable (" + e.getMessage() + ")");
            schedule(backoff.nextDelayMillis());
        }
    }

    @Override
    public void close() {
        closed = true;
        for (ScheduledFuture<?> pending : new ScheduledFuture<?>[] {next, trustReloads}) {
            if (pending != null) {
                pending.cancel(false);
            }
        }
    }
}
