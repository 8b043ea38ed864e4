package dev.windlass.proxy.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * One version of a credential as the proxy last read it. {@code fingerprint} identifies the bytes it came from
 * (a new fingerprint is a rotation); it is a hash, never key material, so it may be logged.
 */
public sealed interface Credential {
    String fingerprint();

    /** A certificate chain (leaf first) and the key of its leaf. */
    record KeyPair(List<X509Certificate> chain, PrivateKey key, String fingerprint) implements Credential {
        public KeyPair {
            chain = List.copyOf(chain);
        }
    }

    /** CA certificates that client certificates must chain to. */
    record Trust(List<X509Certificate> cas, String fingerprint) implements Credential {
        public Trust {
            cas = List.copyOf(cas);
        }
    }

    /** Missing or unusable, and why (file or Secret absent, unreadable PEM, key not matching the certificate). */
    record Unavailable(String reason) implements Credential {
        @Override
        public String fingerprint() {
            return "unavailable: " + reason;
        }
    }
}
