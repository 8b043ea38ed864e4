package dev.windlass.proxy.tls;

import dev.windlass.proxy.Log;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The mesh roots this proxy trusts now. Read from the mounted root ConfigMap, they follow it: the kubelet rewrites
 * the file some time after the discovery server publishes a new bundle (the old and the new root while the root
 * rotates), and {@link #reload()} picks it up. The discovery server's TLS port is checked through
 * {@link #trustManager()}, which always asks the current roots; mesh TLS contexts are rebuilt on the identity's version.
 */
public final class TrustBundle {
    private record Roots(String pem, List<X509Certificate> certificates, X509ExtendedTrustManager pkix) {
    }

    private final Optional<Path> file;
    private volatile Roots roots;
    private String refused;

    private TrustBundle(Optional<Path> file, Roots roots) {
        this.file = file;
        this.roots = roots;
    }

    /** {@code pem} as read now; {@code file} where it came from, if it is to be followed. */
    public static TrustBundle of(String pem, Optional<Path> file) {
        try {
            return new TrustBundle(file, parse(pem));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the CA root" + file.map(f -> " " + f).orElse("") + ": " + e.getMessage(), e);
        }
    }

    /** Roots that never change (tests, or PEM given in the environment). */
    public static TrustBundle fixed(List<X509Certificate> certificates) {
        try {
            return new TrustBundle(Optional.empty(), new Roots("", List.copyOf(certificates), SanTrustManager.pkix(certificates)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the CA root: " + e.getMessage(), e);
        }
    }

    public List<X509Certificate> certificates() {
        return roots.certificates();
    }

    /** Whether there is a file to follow. */
    public boolean followsFile() {
        return file.isPresent();
    }

    /**
     * Reads the file again: true when it holds other roots, which are trusted from now on. A file that cannot be
     * read or parsed (the kubelet swapping it, an empty bundle) keeps the current roots.
     */
    public boolean reload() {
        if (file.isEmpty()) {
            return false;
        }
        String pem = "";
        try {
            pem = Files.readString(file.get(), StandardCharsets.US_ASCII).strip();
            if (pem.equals(roots.pem()) || pem.equals(refused)) {
                return false;
            }
            roots = parse(pem);
            return true;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            refused = pem; // logged once per content, not at every look
            Log.warn("the CA root " + file.get() + " cannot be read (" + e.getMessage() + "); keeping the current roots");
            return false;
        }
    }

    private static Roots parse(String pem) throws GeneralSecurityException {
        String text = pem.strip();
        List<X509Certificate> certificates = List.copyOf(Pem.certificates(text.getBytes(StandardCharsets.US_ASCII), "the CA root"));
        return new Roots(text, certificates, SanTrustManager.pkix(certificates));
    }

    /** A trust manager that checks each handshake against the roots of the moment (hostname checks included). */
    public X509ExtendedTrustManager trustManager() {
        return new X509ExtendedTrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
                roots.pkix().checkServerTrusted(chain, authType, engine);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
                roots.pkix().checkServerTrusted(chain, authType, socket);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                roots.pkix().checkServerTrusted(chain, authType);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
                roots.pkix().checkClientTrusted(chain, authType, engine);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
                roots.pkix().checkClientTrusted(chain, authType, socket);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                roots.pkix().checkClientTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return roots.pkix().getAcceptedIssuers();
            }
        };
    }
}
