package dev.windlass.proxy.tls;

import dev.windlass.proxy.Log;
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
import java.util.List;
import java.util.Optional;

/**
 * One cluster's TLS origination, compiled once per cluster update: the client SslContext of its settings, the CA
 * file read then (Envoy reads a trusted_ca file when the cluster is loaded; an unreadable one refuses the update).
 * Mesh mTLS (the workload certificate, the mesh trust bundle) is built from the proxy's identity instead, and
 * built again when a new connection finds that a new certificate was issued since. Shared by every connection
 * to the cluster; a connection gets its own SslHandler, with the SNI.
 */
public final class ClientTls {
    private final String where;
    private final UpstreamTls settings;
    private final WorkloadIdentity identity;
    private volatile SslContext context;
    private volatile long builtFor = -1;

    private ClientTls(String where, UpstreamTls settings, WorkloadIdentity identity, SslContext context) {
        this.where = where;
        this.settings = settings;
        this.identity = identity;
        this.context = context;
    }

    /**
     * Null (plain text) for mesh mTLS in a proxy that has no identity at all (started without the CA root: offline
     * kube-inject output, a debugging set-up on 15010): it can never present a certificate, so it connects as any
     * client without a sidecar does, which PERMISSIVE servers accept and STRICT ones refuse.
     */
    /**
     * Mesh mTLS that the cluster requires of every connection (DestinationRule ISTIO_MUTUAL, not an auto-mTLS match)
     * in a proxy without an identity: every connection fails as a connect failure, never in plain text.
     */
    public static ClientTls withoutCertificate(String where, UpstreamTls settings) {
        return new ClientTls(where, settings, WorkloadIdentity.none(), null);
    }

    public static ClientTls compile(String where, UpstreamTls settings, WorkloadIdentity identity)
            throws InvalidConfigException {
        if (settings.usesWorkloadIdentity()) {
            return identity.exists() ? new ClientTls(where, settings, identity, null) : null;
        }
        try {
            SslContextBuilder builder = builder(settings);
            if (settings.trust() == UpstreamTls.Trust.NONE) {
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else {
                builder.trustManager(new ServerCertificateVerifier(settings.trust() == UpstreamTls.Trust.FILE
                        ? Pem.certificates(Files.readAllBytes(Path.of(settings.caFile())), settings.caFile()) : null,
                        settings.subjectAltNames(), settings.autoSanValidation()));
            }
            return new ClientTls(where, settings, null, builder.build());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new InvalidConfigException(where + ": cannot originate TLS: " + e.getMessage(), e);
        }
    }

    private static SslContextBuilder builder(UpstreamTls settings) {
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
     * The TLS handler of a new upstream connection, sending {@code sni} when it is a host name; null when mesh
     * mTLS has no workload certificate to present yet (the connection then fails as a connect failure).
     */
    public SslHandler newHandler(ByteBufAllocator alloc, String sni, int port) {
        SslContext current = identity == null ? context : meshContext();
        if (current == null) {
            return null;
        }
        return sni == null ? current.newHandler(alloc) : current.newHandler(alloc, sni, port);
    }

    /** The context for the identity's current certificate, rebuilt once after each renewal. */
    private SslContext meshContext() {
        long version = identity.version();
        if (builtFor == version) {
            return context;
        }
        synchronized (this) {
            if (builtFor != version) {
                context = buildMesh();
                builtFor = version;
            }
            return context;
        }
    }

    private SslContext buildMesh() {
        Optional<WorkloadIdentity.Certificate> certificate = identity.current();
        if (settings.workloadCertificate() && certificate.isEmpty()) {
            Log.warn(where + ": no workload certificate yet; mesh mTLS connections fail until one is issued");
            return null;
        }
        try {
            SslContextBuilder builder = builder(settings);
            if (settings.workloadCertificate()) {
                List<java.security.cert.X509Certificate> chain = certificate.get().chain();
                builder.keyManager(certificate.get().keys().getPrivate(), chain);
            }
            builder.trustManager(settings.trust() == UpstreamTls.Trust.MESH
                    ? new ServerCertificateVerifier(identity.trustBundle(), settings.subjectAltNames(), false)
                    : InsecureTrustManagerFactory.INSTANCE.getTrustManagers()[0]);
            return builder.build();
        } catch (GeneralSecurityException | javax.net.ssl.SSLException | RuntimeException e) {
            Log.warn(where + ": cannot build the mesh TLS context: " + e.getMessage());
            return null;
        }
    }
}
