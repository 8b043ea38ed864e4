package dev.windlass.proxy.tls;

import dev.windlass.proxy.config.CredentialRef;
import dev.windlass.proxy.config.InvalidConfigException;
import dev.windlass.proxy.config.UpstreamTls;
import dev.windlass.proxy.identity.WorkloadIdentity;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.function.Function;

/**
 * One cluster's TLS origination, compiled once per cluster update: the client SslContext of its settings, the CA
 * file read then (Envoy reads a trusted_ca file when the cluster is loaded; an unreadable one refuses the update).
 * Mesh mTLS (the workload certificate, the mesh trust bundle) is built from the proxy's identity instead
 * ({@link MeshClientContext}), and a DestinationRule's MUTUAL from credentials the proxy watches
 * ({@link WatchedClientContext}): both are built again when a new connection finds that what they hold changed.
 * Shared by every connection to the cluster; a connection gets its own SslHandler, with the SNI.
 */
public final class ClientTls {
    /** The context a new connection uses now; null when there is no usable one (the connection then fails). */
    interface Contexts {
        SslContext current();
    }

    private final UpstreamTls settings;
    private final Contexts contexts;

    private ClientTls(UpstreamTls settings, Contexts contexts) {
        this.settings = settings;
        this.contexts = contexts;
    }

    /**
     * Mesh mTLS that the cluster requires of every connection (DestinationRule ISTIO_MUTUAL, not an auto-mTLS match)
     * in a proxy without an identity: every connection fails as a connect failure, never in plain text.
     */
    public static ClientTls withoutCertificate(String where, UpstreamTls settings) {
        return new ClientTls(settings, new MeshClientContext(where, settings, WorkloadIdentity.none()));
    }

    /**
     * Null (plain text) for mesh mTLS in a proxy that has no identity at all (started without the CA root: offline
     * kube-inject output, a debugging set-up on 15010): it can never present a certificate, so it connects as any
     * client without a sidecar does, which PERMISSIVE servers accept and STRICT ones refuse.
     */
    public static ClientTls compile(String where, UpstreamTls settings, WorkloadIdentity identity)
            throws InvalidConfigException {
        return compile(where, settings, identity, null);
    }

    /** {@code credentials}: the watched credentials, for a client certificate or a Secret's CA (null: none). */
    static ClientTls compile(String where, UpstreamTls settings, WorkloadIdentity identity,
                             Function<CredentialRef, Credential> credentials) throws InvalidConfigException {
        if (settings.usesWorkloadIdentity()) {
            return identity.exists() ? new ClientTls(settings, new MeshClientContext(where, settings, identity)) : null;
        }
        if (settings.usesWatchedCredentials()) {
            if (credentials == null) {
                throw new InvalidConfigException(where + ": client certificates are not available in this proxy");
            }
            return new ClientTls(settings, new WatchedClientContext(where, settings, credentials));
        }
        try {
            SslContextBuilder builder = builder(settings);
            if (settings.trust() == UpstreamTls.Trust.NONE) {
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else {
                String file = settings.trust() == UpstreamTls.Trust.FILE ? ((CredentialRef.CaFile) settings.trustedCa()).path() : null;
                builder.trustManager(new ServerCertificateVerifier(file == null ? null
                        : Pem.certificates(Files.readAllBytes(Path.of(file)), file),
                        settings.subjectAltNames(), settings.autoSanValidation()));
            }
            SslContext context = builder.build();
            return new ClientTls(settings, () -> context);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new InvalidConfigException(where + ": cannot originate TLS: " + e.getMessage(), e);
        }
    }

    static SslContextBuilder builder(UpstreamTls settings) {
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslContexts.provider(""))
                // Names are checked by the trust manager, as Envoy checks them, not by HTTPS hostname rules.
                .endpointIdentificationAlgorithm(null);
        if (!settings.alpn().isEmpty()) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, settings.alpn()));
        }
        return builder;
    }

    public UpstreamTls settings() {
        return settings;
    }

    /** The SNI of a connection for a request to {@code authority} (null for TCP): the fixed one, the host, or none. */
    public String sni(String authority) {
        if (settings.sni() != null || !settings.autoSni() || authority == null || authority.isEmpty()) {
            return settings.sni();
        }
        int colon = authority.lastIndexOf(':');
        return colon > 0 && authority.indexOf(']') < colon ? authority.substring(0, colon) : authority;
    }

    /**
     * The TLS handler of a new upstream connection, sending {@code sni} when it is a host name; null when there is no
     * usable context now (no workload certificate yet, a client certificate missing): the connection then fails as a
     * connect failure.
     */
    public SslHandler newHandler(ByteBufAllocator alloc, String sni, int port) {
        SslContext current = contexts.current();
        if (current == null) {
            return null;
        }
        return sni == null ? current.newHandler(alloc) : current.newHandler(alloc, sni, port);
    }
}
