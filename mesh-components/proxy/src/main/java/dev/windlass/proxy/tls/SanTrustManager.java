package dev.windlass.proxy.tls;

import dev.windlass.proxy.config.DownstreamTls.SanMatcher;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

/**
 * Client certificates as Envoy's CertificateValidationContext checks them: the chain must lead to one of the
 * trusted CAs (PKIX, by the JDK), then, when matchers are set, one subject alt name must match one of them.
 * Built once per CA version; shared by every handshake of the chain.
 */
final class SanTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;
    private final List<SanMatcher> matchers;

    SanTrustManager(List<X509Certificate> cas, List<SanMatcher> matchers) throws GeneralSecurityException {
        this.pkix = pkix(cas);
        this.matchers = List.copyOf(matchers);
    }

    /** The JDK's PKIX trust manager for {@code cas}; null: for the JRE's default trust store. */
    static X509ExtendedTrustManager pkix(List<X509Certificate> cas) throws GeneralSecurityException {
        KeyStore store = null;
        if (cas != null) {
            store = KeyStore.getInstance("PKCS12");
            try {
                store.load(null, null);
            } catch (java.io.IOException e) {
                throw new GeneralSecurityException(e);
            }
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca" + i, cas.get(i));
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(store);
        return (X509ExtendedTrustManager) factory.getTrustManagers()[0];
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        pkix.checkClientTrusted(chain, authType, engine);
        checkSans(chain[0]);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        pkix.checkClientTrusted(chain, authType, socket);
        checkSans(chain[0]);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkClientTrusted(chain, authType);
        checkSans(chain[0]);
    }

    private void checkSans(X509Certificate leaf) throws CertificateException {
        if (!matchers.isEmpty() && !anyMatches(leaf, matchers)) {
            throw new CertificateException("no subject alt name of the client certificate matches");
        }
    }

    /** Whether one subject alt name of {@code leaf} is accepted by one of {@code matchers}. */
    static boolean anyMatches(X509Certificate leaf, List<SanMatcher> matchers) throws CertificateParsingException {
        for (List<?> name : subjectAltNames(leaf)) {
            int tag = (Integer) name.get(0);
            Object value = name.get(1);
            for (SanMatcher matcher : matchers) {
                if (matcher.type().accepts(tag) && value instanceof String text && matcher.match().matches(text)) {
                    return true;
                }
            }
        }
        return false;
    }

    static Collection<List<?>> subjectAltNames(X509Certificate leaf) throws CertificateParsingException {
        Collection<List<?>> names = leaf.getSubjectAlternativeNames();
        return names == null ? List.of() : names;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("a server-side trust manager checks no servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("a server-side trust manager checks no servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a server-side trust manager checks no servers");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }
}
