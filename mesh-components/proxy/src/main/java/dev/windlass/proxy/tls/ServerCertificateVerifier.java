package dev.windlass.proxy.tls;

import dev.windlass.proxy.config.DownstreamTls.SanMatcher;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;

/**
 * Server certificates as Envoy's upstream CertificateValidationContext checks them: the chain must lead to a
 * trusted CA (PKIX, by the JDK: the given CAs, or the JRE's default trust store for system roots); then one
 * subject alt name must match one of the matchers, when there are any; and with auto SAN validation the
 * certificate must carry the connection's SNI (the engine's peer host) as a DNS name, a {@code *.} wildcard
 * standing for one label. Built once per cluster update; shared by every handshake of the cluster.
 */
final class ServerCertificateVerifier extends X509ExtendedTrustManager {
    private static final int DNS = 2;
    private final X509ExtendedTrustManager pkix;
    private final List<SanMatcher> matchers;
    private final boolean autoSan;

    /** {@code cas} null: the JRE's default trust store. */
    ServerCertificateVerifier(List<X509Certificate> cas, List<SanMatcher> matchers, boolean autoSan)
            throws GeneralSecurityException {
        this.pkix = SanTrustManager.pkix(cas);
        this.matchers = List.copyOf(matchers);
        this.autoSan = autoSan;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        pkix.checkServerTrusted(chain, authType, engine);
        checkNames(chain[0], engine == null ? null : engine.getPeerHost());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        pkix.checkServerTrusted(chain, authType, socket);
        checkNames(chain[0], null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkServerTrusted(chain, authType);
        checkNames(chain[0], null);
    }

    private void checkNames(X509Certificate leaf, String sni) throws CertificateException {
        if (!matchers.isEmpty() && !SanTrustManager.anyMatches(leaf, matchers)) {
            throw new CertificateException("no subject alt name of the server certificate matches");
        }
        if (autoSan && sni != null && !carriesDnsName(leaf, sni)) {
            throw new CertificateException("the server certificate does not name " + sni);
        }
    }

    private static boolean carriesDnsName(X509Certificate leaf, String host) throws CertificateException {
        String wanted = host.toLowerCase(Locale.ROOT);
        for (List<?> name : SanTrustManager.subjectAltNames(leaf)) {
            if ((Integer) name.get(0) == DNS && name.get(1) instanceof String dns && dnsMatches(dns.toLowerCase(Locale.ROOT), wanted)) {
                return true;
            }
        }
        return false;
    }

    /** {@code *.example.com} covers {@code a.example.com}, not {@code example.com} nor {@code a.b.example.com}. */
    static boolean dnsMatches(String pattern, String host) {
        if (!pattern.startsWith("*.")) {
            return pattern.equals(host);
        }
        int dot = host.indexOf('.');
        return dot > 0 && host.substring(dot).equals(pattern.substring(1));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("an upstream trust manager checks no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("an upstream trust manager checks no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("an upstream trust manager checks no clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }
}
