package dev.windlass.proxy.tls;

import dev.windlass.proxy.Log;
import dev.windlass.proxy.config.CredentialRef;
import dev.windlass.proxy.config.UpstreamTls;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Function;

/**
 * A DestinationRule MUTUAL origination's client context: the client certificate from files or a Secret, the CA from
 * a file, the system or a Secret, as the credential store holds them now. A new connection that finds another
 * version of either (the store re-reads them on its period) builds the context again, once; while one is missing
 * or unusable there is no context and connections fail as connect failures.
 */
final class WatchedClientContext implements ClientTls.Contexts {
    private record Built(Credential certificate, Credential ca, SslContext context) {
    }

    private final String where;
    private final UpstreamTls settings;
    private final Function<CredentialRef, Credential> credentials;
    private volatile Built built;

    /** {@code credentials}: the store's current version of a reference it already watches (no read on this path). */
    WatchedClientContext(String where, UpstreamTls settings, Function<CredentialRef, Credential> credentials) {
        this.where = where;
        this.settings = settings;
        this.credentials = credentials;
    }

    @Override
    public SslContext current() {
        Credential certificate = settings.clientCertificate() == null ? null : credentials.apply(settings.clientCertificate());
        Credential ca = settings.trustedCa() == null ? null : credentials.apply(settings.trustedCa());
        Built now = built;
        if (now != null && now.certificate() == certificate && now.ca() == ca) {
            return now.context();
        }
        synchronized (this) {
            now = built;
            if (now == null || now.certificate() != certificate || now.ca() != ca) {
                now = new Built(certificate, ca, build(certificate, ca));
                built = now;
            }
            return now.context();
        }
    }

    private SslContext build(Credential certificate, Credential ca) {
        if (certificate instanceof Credential.Unavailable || ca instanceof Credential.Unavailable) {
            Log.warn(where + ": " + ((certificate instanceof Credential.Unavailable u ? u : (Credential.Unavailable) ca).reason())
                    + "; TLS connections to it fail until it is available");
            return null;
        }
        try {
            SslContextBuilder builder = ClientTls.builder(settings);
            if (certificate instanceof Credential.KeyPair pair) {
                builder.keyManager(pair.key(), pair.chain());
            }
            builder.trustManager(switch (settings.trust()) {
                case NONE -> InsecureTrustManagerFactory.INSTANCE.getTrustManagers()[0];
                case SYSTEM -> verifier(null);
                default -> verifier(((Credential.Trust) ca).cas());
            });
            return builder.build();
        } catch (GeneralSecurityException | javax.net.ssl.SSLException | RuntimeException e) {
            Log.warn(where + ": cannot build the TLS context: " + e.getMessage());
            return null;
        }
    }

    private ServerCertificateVerifier verifier(List<X509Certificate> cas) throws GeneralSecurityException {
        return new ServerCertificateVerifier(cas, settings.subjectAltNames(), settings.autoSanValidation());
    }
}
