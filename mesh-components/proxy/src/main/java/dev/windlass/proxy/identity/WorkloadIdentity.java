package dev.windlass.proxy.identity;

import com.google.protobuf.DynamicMessage;
import dev.windlass.caprotocol.IstioCaProtocol;
import dev.windlass.caprotocol.Pkcs10;
import dev.windlass.contract.SpiffeId;
import dev.windlass.proxy.Log;
import dev.windlass.proxy.xds.Backoff;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
    public record Certificate(SpiffeId id, KeyPair keys, List<X509Certificate> chain, Instant renewAt) {
        public X509Certificate leaf() {
            return chain.getFirst();
        }
    }

    private static final WorkloadIdentity NONE = new WorkloadIdentity(null, null, Duration.ZERO, null, Clock.systemUTC());

    private final Channel discovery;
    private final SpiffeId id;
    private final Duration ttl;
    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final Backoff backoff = new Backoff(1_000, 30_000);
    private final AtomicReference<Certificate> current = new AtomicReference<>();
    private volatile ScheduledFuture<?> next;
    private volatile boolean closed;

    private WorkloadIdentity(Channel discovery, SpiffeId id, Duration ttl, ScheduledExecutorService executor, Clock clock) {
        this.discovery = discovery;
        this.id = id;
        this.ttl = ttl;
        this.executor = executor;
        this.clock = clock;
    }

    /** A proxy without the authenticated channel (no CA root): no certificate, ever. */
    public static WorkloadIdentity none() {
        return NONE;
    }

    /** Requests the first certificate now; {@code ttl} is what the proxy asks for (the CA may cap it). */
    public static WorkloadIdentity start(Channel discovery, SpiffeId id, Duration ttl, ScheduledExecutorService executor) {
        WorkloadIdentity identity = new WorkloadIdentity(discovery, id, ttl, executor, Clock.systemUTC());
        identity.schedule(0);
        return identity;
    }

    public Optional<Certificate> current() {
        return Optional.ofNullable(current.get());
    }

    public Optional<SpiffeId> id() {
        return Optional.ofNullable(id);
    }

    private void schedule(long delayMillis) {
        if (!closed) {
            next = executor.schedule(this::request, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void request() {
        KeyPair keys = Pkcs10.newKeyPair();
        Instant asked = clock.instant();
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
            List<X509Certificate> chain = parse(chainPem);
            Instant notAfter = chain.getFirst().getNotAfter().toInstant();
            Instant renewAt = asked.plus(Duration.between(asked, notAfter).multipliedBy(8).dividedBy(10));
            current.set(new Certificate(id, keys, chain, renewAt));
            backoff.reset();
            Log.info("workload certificate for " + id + " (serial " + chain.getFirst().getSerialNumber().toString(16)
                    + ") valid until " + notAfter + ", renewed at " + renewAt);
            schedule(Math.max(0, Duration.between(clock.instant(), renewAt).toMillis()));
        } catch (GeneralSecurityException | RuntimeException e) {
            Log.warn("workload certificate for " + id + ": the CA's answer is unusable (" + e.getMessage() + ")");
            schedule(backoff.nextDelayMillis());
        }
    }

    private static List<X509Certificate> parse(List<String> pems) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> chain = new ArrayList<>();
        for (String pem : pems) {
            chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException("an empty certificate chain");
        }
        return List.copyOf(chain);
    }

    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> pending = next;
        if (pending != null) {
            pending.cancel(false);
        }
    }
}
