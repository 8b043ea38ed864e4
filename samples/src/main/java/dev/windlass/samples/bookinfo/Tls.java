package dev.windlass.samples.bookinfo;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * TLS for the sample roles, which stand in for apps that do TLS themselves (behind a gateway's passthrough, or
 * outside the mesh): a server's identity from a PKCS#12 file with an empty password (env {@code TLS_KEYSTORE}, a
 * mounted Secret's), and a client's trust in the CAs of one PEM file (fortio's {@code -cacert}).
 */
public final class Tls {
    public static final String KEYSTORE_ENV = "TLS_KEYSTORE";

    private Tls() {
    }

    /** The server context of env TLS_KEYSTORE, or null when it is not set: the role then serves plain text. */
    public static SSLContext serverFromEnv() throws IOException {
        String keystore = System.getenv(KEYSTORE_ENV);
        return keystore == null || keystore.isBlank() ? null : server(Path.of(keystore.strip()));
    }

    public static SSLContext server(Path keystore) throws IOException {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, new char[0]);
            KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
            factory.init(keys, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(factory.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException(KEYSTORE_ENV + " " + keystore + ": " + e.getMessage(), e);
        }
    }

    /** A client context that trusts exactly the certificates of {@code caPem}. */
    public static SSLContext trusting(Path caPem) throws IOException {
        try (InputStream in = Files.newInputStream(caPem)) {
            Collection<? extends Certificate> cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (cas.isEmpty()) {
                throw new IOException("no certificate in " + caPem);
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (Certificate ca : cas) {
                trust.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException(caPem + ": " + e.getMessage(), e);
        }
    }
}
