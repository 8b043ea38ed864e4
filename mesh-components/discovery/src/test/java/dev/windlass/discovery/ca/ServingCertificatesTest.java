package dev.windlass.discovery.ca;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.X509ExtendedKeyManager;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The renewal itself, with a 2 s lifetime; the servers' side is in WebhookCertificateRotationTest and SecureXdsRotationTest. */
class ServingCertificatesTest {
    private static final Duration LIFETIME = Duration.ofSeconds(2);
    private static final String SERVICE = "windlass-discovery.windlass-system.svc";
    private final CertificateAuthority ca = CertificateAuthority.generate("test-ca");
    private ServingCertificates serving;

    @AfterEach
    void stop() {
        if (serving != null) {
            serving.close();
        }
    }

    @Test
    void aNewCertificateWithANewKeyFromTheSameCaAtFourFifthsOfTheLifetime() throws Exception {
        long started = System.nanoTime();
        serving = ServingCertificates.start("test", () -> ca, List.of(SERVICE), List.of("127.0.0.1"), LIFETIME);
        X509Certificate first = serving.certificate();

        X509Certificate renewed = renewedAfter(first);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        renewed.verify(ca.certificate().getPublicKey());
        renewed.checkValidity();
        assertThat(renewed.getPublicKey()).isNotEqualTo(first.getPublicKey());
        assertThat(renewed.getSubjectAlternativeNames()).containsExactlyElementsOf(first.getSubjectAlternativeNames());
        assertThat(Duration.between(renewed.getNotBefore().toInstant(), renewed.getNotAfter().toInstant()))
                .isBetween(Duration.ofHours(1).plus(LIFETIME), Duration.ofHours(1).plus(LIFETIME).plusSeconds(2));
    }

    /** The JDK picks an alias first and reads chain and key after: a rotation in between must not mix them. */
    @Test
    void aHandshakeThatChoseTheOldCertificateStillGetsItsChainAndKey() throws Exception {
        serving = ServingCertificates.start("test", () -> ca, List.of(SERVICE), List.of(), LIFETIME);
        X509ExtendedKeyManager keys = serving.keyManager();
        String chosen = keys.chooseEngineServerAlias("EC", null, null);
        X509Certificate[] chain = keys.getCertificateChain(chosen);
        assertThat(chain).containsExactly(serving.certificate(), ca.certificate());

        renewedAfter(chain[0]);

        assertThat(keys.getCertificateChain(chosen)).containsExactly(chain);
        assertThat(signsFor(keys.getPrivateKey(chosen), chain[0])).isTrue();
        String next = keys.chooseEngineServerAlias("EC", null, null);
        assertThat(next).isNotEqualTo(chosen);
        assertThat(keys.getCertificateChain(next)[0]).isEqualTo(serving.certificate());
        assertThat(signsFor(keys.getPrivateKey(next), serving.certificate())).isTrue();
        assertThat(keys.chooseEngineServerAlias("RSA", null, null)).as("an EC key only").isNull();
    }

    @Test
    void aLifetimeUnderASecondIsRefused() {
        assertThatThrownBy(() -> ServingCertificates.start("test", () -> ca, List.of(SERVICE), List.of(), Duration.ofMillis(10)))
                .hasMessageContaining("at least 1s");
    }

    private X509Certificate renewedAfter(X509Certificate old) {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(serving::certificate, c -> !c.getSerialNumber().equals(old.getSerialNumber()));
    }

    private static boolean signsFor(PrivateKey key, X509Certificate certificate) throws Exception {
        byte[] data = "handshake".getBytes();
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(data);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(data);
        return verifier.verify(signature);
    }
}
