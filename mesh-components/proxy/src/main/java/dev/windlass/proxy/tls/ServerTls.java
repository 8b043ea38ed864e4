package dev.windlass.proxy.tls;

import dev.windlass.proxy.Log;
import dev.windlass.proxy.config.DownstreamTls;
import dev.windlass.proxy.telemetry.ProxyStats;
import dev.windlass.proxy.telemetry.ProxyStats.Stat;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;

import java.security.GeneralSecurityException;

/**
 * One filter chain's TLS termination, compiled: the SslContext built from its settings and the current versions
 * of its credentials, rebuilt when one of them rotates (never per connection). While a credential is missing or
 * unusable the chain has no context and refuses handshakes; the proxy and its other chains carry on.
 */
public final class ServerTls {
    private final DownstreamTls settings;
    private final CredentialStore store;
    private final SslProvider provider;
    private final Runnable onChange = this::rebuild;
    private volatile SslContext context;

    ServerTls(DownstreamTls settings, CredentialStore store, SslProvider provider) {
        this.settings = settings;
        this.store = store;
        this.provider = provider;
        store.subscribe(settings.certificate(), onChange);
        if (settings.trustedCa() != null) {
            store.subscribe(settings.trustedCa(), onChange);
        }
        rebuild();
    }

    public DownstreamTls settings() {
        return settings;
    }

    private synchronized void rebuild() {
        Credential certificate = store.current(settings.certificate());
        Credential trust = settings.trustedCa() == null ? null : store.current(settings.trustedCa());
        if (!(certificate instanceof Credential.KeyPair keyPair) || (trust != null && !(trust instanceof Credential.Trust))) {
            context = null;
            return;
        }
        try {
            context = SslContexts.build(settings, keyPair, (Credential.Trust) trust, provider);
        } catch (GeneralSecurityException | javax.net.ssl.SSLException | RuntimeException e) {
            context = null;
            Log.warn("tls: cannot build the TLS context for " + settings.certificate() + ": " + e.getMessage()
                    + "; its filter chain refuses TLS handshakes");
        }
    }

    /**
     * Puts TLS termination at the end of the connection's pipeline; false, counted, when the chain has no usable
     * certificate now (the caller closes the connection).
     */
    public boolean install(Channel channel, ProxyStats stats) {
        SslContext current = context;
        if (current == null) {
            stats.increment(Stat.SSL_NO_CERTIFICATE);
            return false;
        }
        SslHandler handler = current.newHandler(channel.alloc());
        channel.pipeline().addLast("tls", handler);
        handler.handshakeFuture().addListener(done ->
                stats.increment(done.isSuccess() ? Stat.SSL_HANDSHAKE : Stat.SSL_CONNECTION_ERROR));
        return true;
    }

    void close() {
        store.unsubscribe(settings.certificate(), onChange);
        if (settings.trustedCa() != null) {
            store.unsubscribe(settings.trustedCa(), onChange);
        }
    }
}
