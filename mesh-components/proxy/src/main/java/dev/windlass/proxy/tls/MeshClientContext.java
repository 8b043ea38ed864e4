package dev.windlass.proxy.tls;

import dev.windlass.proxy.Log;
import dev.windlass.proxy.config.UpstreamTls;
import dev.windlass.proxy.identity.WorkloadIdentity;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import java.security.GeneralSecurityException;
import java.util.Optional;

/**
 * Mesh mTLS's client context: the proxy's workload certificate and the mesh trust bundle, built again once when a
 * new connection finds that the identity's version moved (a new certificate, a new bundle).
 */
final class MeshClientContext implements ClientTls.Contexts {
    private final String where;
    private final UpstreamTls settings;
    private final WorkloadIdentity identity;
    private volatile SslContext context;
    private volatile long builtFor = -1;

    MeshClientContext(String where, UpstreamTls settings, WorkloadIdentity identity) {
        this.where = where;
        this.settings = settings;
        this.identity = identity;
    }

    @Override
    public SslContext current() {
        long version = identity.version();
        if (builtFor == version) {
            return context;
        }
        synchronized (this) {
            if (builtFor != version) {
                context = build();
                builtFor = version;
            }
            return context;
        }
    }

    private SslContext build() {
        boolean presents = settings.clientCertificate() != null;
        Optional<WorkloadIdentity.Certificate> certificate = identity.current();
        if (presents && certificate.isEmpty()) {
            Log.warn(where + ": no workload certificate yet; mesh mTLS connections fail until one is issued");
            return null;
        }
        try {
            SslContextBuilder builder = ClientTls.builder(settings);
            if (presents) {
                builder.keyManager(certificate.get().keys().getPrivate(), certificate.get().chain());
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
