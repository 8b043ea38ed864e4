package dev.windlass.proxy.config;

import java.util.List;

/**
 * A filter chain's TLS termination (Envoy's DownstreamTlsContext), translated: where its certificate and, for
 * client certificates, its trusted CAs come from, and the handshake's rules. Compared by value, so that an
 * unchanged chain keeps its compiled SSL context across listener updates.
 *
 * @param certificate       the server's certificate chain and key
 * @param trustedCa         the CAs client certificates must chain to; null when no client certificate is checked
 * @param requireClientCertificate refuse clients without a (valid) certificate
 * @param minVersion        lowest protocol version accepted
 * @param maxVersion        highest protocol version accepted
 * @param cipherSuites      TLS 1.2 cipher suites by their IANA (JDK) names, in preference order; empty: the defaults
 * @param subjectAltNames   a client certificate must carry a SAN matching one of these; empty: any
 * @param alpn              protocols offered in ALPN, in preference order; empty: no ALPN
 */
public record DownstreamTls(CredentialRef certificate, CredentialRef trustedCa, boolean requireClientCertificate,
                            TlsVersion minVersion, TlsVersion maxVersion, List<String> cipherSuites,
                            List<SanMatcher> subjectAltNames, List<String> alpn) {

    public DownstreamTls {
        cipherSuites = List.copyOf(cipherSuites);
        subjectAltNames = List.copyOf(subjectAltNames);
        alpn = List.copyOf(alpn);
    }

    /** The protocol versions Windlass terminates; Envoy's TLS_AUTO for a server means 1.2 to 1.3. */
    public enum TlsVersion {
        TLS_1_2("TLSv1.2"), TLS_1_3("TLSv1.3");

        private final String jdkName;

        TlsVersion(String jdkName) {
            this.jdkName = jdkName;
        }

        public String jdkName() {
            return jdkName;
        }
    }

    /** Envoy's SubjectAltNameMatcher: a SAN of {@code type} whose value {@code match} accepts. */
    public record SanMatcher(SanType type, StringMatch match) {
    }

    /** SAN kinds by their X.509 GeneralName tag; ANY matches every kind (the untyped, deprecated matcher). */
    public enum SanType {
        EMAIL(1), DNS(2), URI(6), IP_ADDRESS(7), ANY(-1);

        private final int generalNameTag;

        SanType(int generalNameTag) {
            this.generalNameTag = generalNameTag;
        }

        public boolean accepts(int tag) {
            return this == ANY ? tag == 1 || tag == 2 || tag == 6 || tag == 7 : tag == generalNameTag;
        }
    }
}
