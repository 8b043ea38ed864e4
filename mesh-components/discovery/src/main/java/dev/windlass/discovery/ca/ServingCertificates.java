package dev.windlass.discovery.ca;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedKeyManager;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The serving certificate of one of the discovery server's TLS ports (the webhooks' 15017, the authenticated xDS
 * port 15012) for the discovery Service's names: issued by the CA at start, then again, with a new key, at 80 % of
 * its lifetime, on a daemon thread. A replica that runs longer than the lifetime therefore never serves an expired
 * certificate, which on 15017 would stop pod creation in injected namespaces (failurePolicy Fail). The CA stays the
 * same, so whoever trusts it (the apiserver through the caBundle, proxies through the root ConfigMap) accepts each
 * new certificate unchanged. {@link #keyManager()} gives every new TLS handshake the current certificate; open
 * connections keep the one they were made with. When a plugged-in CA is replaced, {@link #renewNow()} issues from the
 * new one at once.
 */
public final class ServingCertificates implements AutoCloseable {
    /** Short enough that rotation runs in every long-lived install, not once a year; restarts renew it too. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofDays(90);
    /** Shorter ones are for tests only; below this the renewals would come too close to each other. */
    public static final Duration MIN_LIFETIME = Duration.ofSeconds(1);
    /** The fifth left leaves time to retry a failed issue well before the current one expires. */
    private static final long RENEW_AT_PERCENT = 80;
    private static final Duration MAX_RETRY = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(ServingCertificates.class);

    /** One issued certificate, with a key manager holding it under {@code alias} (its serial). */
    record Generation(String alias, X509Certificate certificate, X509ExtendedKeyManager keys) {
    }

    /** The current generation and the one before, swapped together so a handshake can always find its own. */
    private record Generations(Generation current, Optional<Generation> previous) {
        Optional<Generation> find(String alias) {
            return Stream.concat(Stream.of(current), previous.stream()).filter(g -> g.alias().equals(alias)).findFirst();
        }
    }

    private final String port;
    private final Supplier<CertificateAuthority> ca;
    private final List<String> dnsNames;
    private final List<String> ipAddresses;
    private final Duration lifetime;
    private final ScheduledExecutorService renewals;
    private volatile Generations generations;
    private volatile ScheduledFuture<?> pending;

    private ServingCertificates(String port, Supplier<CertificateAuthority> ca, List<String> dnsNames, List<String> ipAddresses,
                                Duration lifetime) {
        this.port = port;
        this.ca = ca;
        this.dnsNames = List.copyOf(dnsNames);
        this.ipAddresses = List.copyOf(ipAddresses);
        this.lifetime = lifetime;
        this.renewals = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("serving-certificate-" + port).factory());
    }

    /**
     * Issues the first certificate and schedules its renewals.
     *
     * @param port        which port serves it, for the log and the thread's name ({@code webhooks}, {@code xds-tls})
     * @param ca          the current CA, read at each issue ({@link #renewNow()} when it changes)
     * @param ipAddresses IP SANs besides the DNS names (tests dial 127.0.0.1)
     */
    public static ServingCertificates start(String port, Supplier<CertificateAuthority> ca, List<String> dnsNames,
                                            List<String> ipAddresses, Duration lifetime) {
        if (lifetime.compareTo(MIN_LIFETIME) < 0) {
            throw new IllegalArgumentException("a serving certificate's lifetime must be at least 1s, got " + lifetime);
        }
        ServingCertificates serving = new ServingCertificates(port, ca, dnsNames, ipAddresses, lifetime);
        serving.generations = new Generations(serving.issue(), Optional.empty());
        serving.log("issued");
        serving.renewIn(serving.renewalDelay());
        return serving;
    }

    /** A new certificate now, from the CA as it is now (a plugged-in CA was replaced); renewals follow from it. */
    public void renewNow() {
        try {
            // On the renewals' own thread: the scheduled renewal cannot run meanwhile and start a second series.
            renewals.execute(() -> {
                pending.cancel(false);
                renew();
            });
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    /** The certificate new handshakes get. */
    public X509Certificate certificate() {
        return generations.current().certificate();
    }

    /** For a TLS server (grpc-netty's {@code SslContextBuilder.forServer}): the current certificate and key. */
    public X509ExtendedKeyManager keyManager() {
        return new ServingKeyManager(this);
    }

    /** A JDK TLS server context (the webhooks' HttpsServer) presenting the current certificate and the CA's. */
    public SSLContext serverContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[]{keyManager()}, null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    Generation current() {
        return generations.current();
    }

    /** The generation a handshake chose, if still kept: the current one or the one before. */
    Optional<Generation> generation(String alias) {
        return generations.find(alias);
    }

    private void renew() {
        try {
            Generations now = generations;
            generations = new Generations(issue(), Optional.of(now.current()));
            log("rotated");
            renewIn(renewalDelay());
        } catch (RuntimeException e) {
            Duration retry = lifetime.dividedBy(10).compareTo(MAX_RETRY) < 0 ? lifetime.dividedBy(10) : MAX_RETRY;
            LOG.error("cannot renew the serving certificate of {} (the current one is valid until {}), again in {}: {}",
                    port, certificate().getNotAfter().toInstant(), retry, e.getMessage());
            renewIn(retry);
        }
    }

    private void renewIn(Duration delay) {
        try {
            pending = renewals.schedule(this::renew, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile: the servers have stopped, nothing to renew for
        }
    }

    private Duration renewalDelay() {
        return lifetime.multipliedBy(RENEW_AT_PERCENT).dividedBy(100);
    }

    private void log(String what) {
        X509Certificate certificate = certificate();
        LOG.info("serving certificate of {} {}: serial {}, valid until {}, renewed in {}", port, what,
                certificate.getSerialNumber().toString(16), certificate.getNotAfter().toInstant(), renewalDelay());
    }

    private Generation issue() {
        CertificateAuthority.Issued issued = ca.get().issueServing(dnsNames, ipAddresses, lifetime);
        String alias = issued.chain()[0].getSerialNumber().toString(16);
        return new Generation(alias, issued.chain()[0], keyManager(alias, issued));
    }

    /** The JDK's key manager for one certificate: it matches the handshake's key type and issuers as usual. */
    private static X509ExtendedKeyManager keyManager(String alias, CertificateAuthority.Issued issued) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry(alias, issued.key(), password, issued.chain());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            return (X509ExtendedKeyManager) keys.getKeyManagers()[0];
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot hold the serving certificate: " + e.getMessage(), e);
        }
    }

    /** Stops the renewals; servers still running keep the last certificate. */
    @Override
    public void close() {
        renewals.shutdownNow();
    }
}
