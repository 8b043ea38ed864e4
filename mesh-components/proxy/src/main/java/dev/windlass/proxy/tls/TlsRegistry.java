package dev.windlass.proxy.tls;

import dev.windlass.proxy.Log;
import dev.windlass.proxy.ProxyOptions;
import dev.windlass.proxy.config.CredentialRef;
import dev.windlass.proxy.config.DownstreamTls;
import dev.windlass.proxy.config.InvalidConfigException;
import dev.windlass.proxy.config.TlsBinder;
import dev.windlass.proxy.config.UpstreamTls;
import dev.windlass.proxy.identity.WorkloadIdentity;
import io.netty.handler.ssl.SslProvider;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The proxy's compiled TLS terminations, one per distinct chain setting: a listener update that keeps a chain's
 * settings keeps its compiled context; settings no listener uses any more are dropped with their credential
 * watches. The TLS engine, the credential poller and the Kubernetes client start with the first termination, so
 * a proxy that terminates no TLS (a gateway without TLS servers, a sidecar without mesh identity) loads none of them.
 */
public final class TlsRegistry implements TlsBinder, AutoCloseable {
    private final ProxyOptions options;
    private final WorkloadIdentity identity;
    private final Map<DownstreamTls, ServerTls> active = new HashMap<>();
    private CredentialStore store;
    private SslProvider provider;

    public TlsRegistry(ProxyOptions options, WorkloadIdentity identity) {
        this.options = options;
        this.identity = identity;
    }

    /**
     * Mesh clusters' TLS follows the workload certificate by itself; a client certificate or a Secret's CA is watched
     * in the credential store; other origination is fixed per cluster update.
     */
    @Override
    public ClientTls client(String where, UpstreamTls settings) throws InvalidConfigException {
        if (!settings.usesWatchedCredentials() || settings.usesWorkloadIdentity()) {
            return ClientTls.compile(where, settings, identity);
        }
        CredentialStore credentials;
        synchronized (this) {
            start();
            credentials = store;
        }
        for (CredentialRef ref : new CredentialRef[] {settings.clientCertificate(), settings.trustedCa()}) {
            if (ref != null) {
                credentials.watch(ref);
            }
        }
        return ClientTls.compile(where, settings, identity, credentials::current);
    }

    @Override
    public synchronized ServerTls bind(DownstreamTls settings) throws InvalidConfigException {
        ServerTls tls = active.get(settings);
        if (tls == null) {
            start();
            tls = new ServerTls(settings, store, provider);
            active.put(settings, tls);
        }
        return tls;
    }

    private void start() throws InvalidConfigException {
        if (store != null) {
            return;
        }
        ProxyOptions.Tls tls = options.tls();
        try {
            provider = SslContexts.provider(tls.provider());
            store = new CredentialStore(new CredentialReader(secrets(tls), identity), tls.credentialPollPeriod());
            identity.onRenewed(store::refreshSoon);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidConfigException("TLS termination cannot start: " + e.getMessage(), e);
        }
        Log.info("tls: terminating with " + provider + ", credentials re-read every "
                + tls.credentialPollPeriod().toSeconds() + " s");
    }

    /**
     * The in-cluster Kubernetes API (KUBERNETES_SERVICE_HOST/PORT, the pod's service account), or null: outside a
     * cluster, and in sidecars, whose TLS is the mesh's own (they read no Secrets, and need no HTTP client for it).
     */
    private KubernetesSecrets secrets(ProxyOptions.Tls tls) throws IOException, GeneralSecurityException {
        if (tls.kubernetesHost().isEmpty() || options.identity().role() == dev.windlass.proxy.Role.SIDECAR) {
            return null;
        }
        String host = tls.kubernetesHost().contains(":") ? "[" + tls.kubernetesHost() + "]" : tls.kubernetesHost();
        Path account = Path.of(tls.serviceAccountDir());
        return new KubernetesSecrets(URI.create("https://" + host + ":" + tls.kubernetesPort()),
                options.identity().namespace(), account.resolve("token"), account.resolve("ca.crt"));
    }

    /** The engine in use, or null before the first termination. */
    public synchronized SslProvider provider() {
        return provider;
    }

    @Override
    public synchronized void retainClientCredentials(Set<CredentialRef> inUse) {
        if (store != null) {
            store.unwatchAllBut(inUse);
        }
    }

    @Override
    public synchronized void retain(Set<ServerTls> inUse) {
        active.values().removeIf(tls -> {
            boolean unused = !inUse.contains(tls);
            if (unused) {
                tls.close();
            }
            return unused;
        });
    }

    @Override
    public synchronized void close() {
        if (store != null) {
            store.close();
        }
    }
}
