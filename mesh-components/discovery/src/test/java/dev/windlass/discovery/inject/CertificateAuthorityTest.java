package dev.windlass.discovery.inject;

import dev.windlass.discovery.ca.CertificateAuthority;
import dev.windlass.discovery.ca.Pem;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CertificateAuthorityTest {

    @Test
    void theCaAndItsKeySurviveAPemRoundTrip() throws Exception {
        CertificateAuthority ca = CertificateAuthority.generate("test");
        CertificateAuthority read = new CertificateAuthority(Pem.certificate(Pem.write(ca.certificate())),
                Pem.privateKey(Pem.write(ca.key())));
        assertThat(read.certificate()).isEqualTo(ca.certificate());
        assertThat(read.key().getEncoded()).isEqualTo(ca.key().getEncoded());
        assertThat(ca.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void servingCertificatesNameTheServiceAndVerifyAgainstTheCa() throws Exception {
        CertificateAuthority ca = CertificateAuthority.generate("test");
        Instant before = Instant.now();
        X509Certificate serving = ca.issueServing(List.of("windlass-discovery.windlass-system.svc"), List.of("127.0.0.1"),
                Duration.ofDays(90)).chain()[0];
        serving.verify(ca.certificate().getPublicKey());
        assertThat(serving.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList())
                .containsExactly("windlass-discovery.windlass-system.svc", "127.0.0.1");
        assertThat(serving.getBasicConstraints()).isEqualTo(-1);
        assertThat(serving.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        // The lifetime asked for, rounded up to a whole second (never less: renewal counts on it).
        assertThat(serving.getNotAfter().toInstant()).isBetween(before.plus(Duration.ofDays(90)),
                Instant.now().plus(Duration.ofDays(90)).plusSeconds(1));
    }
}
