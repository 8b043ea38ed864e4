package dev.windlass.discovery.ca;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * The server side of TLS handshakes with {@link ServingCertificates}: the alias is chosen from the current
 * certificate, and names its generation, so a rotation between choosing and reading the chain and key never hands a
 * handshake one certificate with another's key. Servers only: no client aliases.
 */
final class ServingKeyManager extends X509ExtendedKeyManager {
    private final ServingCertificates certificates;

    ServingKeyManager(ServingCertificates certificates) {
        this.certificates = certificates;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return certificates.current().keys().chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return certificates.current().keys().chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return certificates.current().keys().getServerAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return certificates.generation(alias).map(g -> g.keys().getCertificateChain(alias)).orElse(null);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return certificates.generation(alias).map(g -> g.keys().getPrivateKey(alias)).orElse(null);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
