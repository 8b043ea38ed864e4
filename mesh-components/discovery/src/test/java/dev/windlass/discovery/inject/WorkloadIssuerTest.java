package dev.windlass.discovery.inject;

import dev.windlass.caprotocol.Pkcs10;
import dev.windlass.contract.SpiffeId;
import dev.windlass.discovery.ca.CertificateAuthority;
import dev.windlass.discovery.ca.Pem;
import dev.windlass.discovery.ca.WorkloadIssuer;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the CA signs for a caller, and what it refuses. */
class WorkloadIssuerTest {
    private static final SpiffeId CALLER = new SpiffeId("cluster.local", "bookinfo", "reviews");
    private final CertificateAuthority ca = CertificateAuthority.generate("windlass-ca.test");
    private final WorkloadIssuer issuer = new WorkloadIssuer(() -> ca, Duration.ofHours(24), Duration.ofDays(90));

    @Test
    void aWorkloadCertificateIsForMutualTlsWithTheCallersIdentityOnly() throws Exception {
        X509Certificate leaf = Pem.certificate(issuer.issue(Pkcs10.pem(Pkcs10.newKeyPair(), CALLER), CALLER, 0).get(0));

        assertThat(leaf.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getCriticalExtensionOIDs()).contains("2.5.29.17");
        assertThat(leaf.getSubjectX500Principal().getName()).isEmpty();
        assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofHours(25)); // the default 24 h, from an hour back
    }

    @Test
    void aLongerValidityThanTheMaximumIsCapped() throws Exception {
        X509Certificate leaf = Pem.certificate(issuer.issue(Pkcs10.pem(Pkcs10.newKeyPair(), CALLER), CALLER,
                Duration.ofDays(365).toSeconds()).get(0));

        assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofDays(90).plusHours(1));
    }

    @Test
    void aRequestNotSignedByItsOwnKeyOrNotARequestIsRefused() {
        KeyPair keys = Pkcs10.newKeyPair();
        String pem = Pkcs10.pem(keys, CALLER);
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        der[der.length - 5] ^= 0x01; // inside the signature
        String tampered = "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";

        assertThatThrownBy(() -> issuer.issue(tampered, CALLER, 0)).isInstanceOf(WorkloadIssuer.Refused.class)
                .hasMessageContaining("certificate request");
        assertThatThrownBy(() -> issuer.issue("hello", CALLER, 0)).isInstanceOf(WorkloadIssuer.Refused.class)
                .hasMessageContaining("the csr field is not a PEM certificate request");
    }
}
