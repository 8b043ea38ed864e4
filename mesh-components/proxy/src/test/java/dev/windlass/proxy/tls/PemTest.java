package dev.windlass.proxy.tls;

import dev.windlass.testsupport.tls.TestPki;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The key forms a Kubernetes TLS Secret holds, read into JDK keys, and the key/certificate check. */
class PemTest {
    /** Made with {@code openssl ecparam -name prime256v1 -genkey -noout} and a self-signed certificate: test data. */
    private static final String SEC1_KEY = """
            -----BEGIN EC PRIVATE KEY-----
            MHcCAQEEILuGpYxbDuEP9d/AVlRq1mHyxeQnrtypppteeuAQx0JfoAoGCCqGSM49
            AwEHoUQDQgAEl4ZsXDsduc2rihbVb8u2l2f71F6CbPxtZqd6VXmgi6d/OHOxm581
            JRlXDobQt9BGUHLOt3WZbypYeOm6KVlGDQ==
            -----END EC PRIVATE KEY-----
            """;
    private static final String SEC1_CERT = """
            -----BEGIN CERTIFICATE-----
            MIIBgDCCASWgAwIBAgIUUr6V04B1SkGF22kNji0RGXF2ZTcwCgYIKoZIzj0EAwIw
            FDESMBAGA1UEAwwJc2VjMS50ZXN0MCAXDTI2MTIwNTA3MjQwN1oYDzIxMjYxMTEx
            MDcyNDA3WjAUMRIwEAYDVQQDDAlzZWMxLnRlc3QwWTATBgcqhkjOPQIBBggqhkjO
            PQMBBwNCAASXhmxcOx25zauKFtVvy7aXZ/vUXoJs/G1mp3pVeaCLp384c7GbnzUl
            GVcOhtC30EZQcs63dZlvKlh46bopWUYNo1MwUTAdBgNVHQ4EFgQUFmmktVTv3zal
            TQu7H76U9GoSbc4wHwYDVR0jBBgwFoAUFmmktVTv3zalTQu7H76U9GoSbc4wDwYD
            VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNJADBGAiEAi8LlNbpWliyWkY2EkCc6
            CLWe5/kKTKyw2yYBFQYxY6QCIQDmONgU5XpYBnvPbvqRfMr9PEJIo1FGkSbsGR1y
            zJtCGg==
            -----END CERTIFICATE-----
            """;

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void sec1EcKeysAsOpensslWritesThemAreRead() throws GeneralSecurityException {
        PrivateKey key = Pem.privateKey(bytes(SEC1_KEY), "key");
        X509Certificate certificate = Pem.certificates(bytes(SEC1_CERT), "cert").getFirst();
        assertThat(key.getAlgorithm()).isEqualTo("EC");
        assertThat(Pem.matches(key, certificate)).isTrue();
    }

    @Test
    void pkcs1RsaAndPkcs8KeysAreReadAndAForeignKeyDoesNotMatch() throws GeneralSecurityException {
        TestPki.Issued ca = TestPki.ca("pem test");
        TestPki.Issued rsa = TestPki.rsaServer(ca, "rsa.test");
        TestPki.Issued ec = TestPki.server(ca, "ec.test");
        assertThat(rsa.keyPem()).contains("BEGIN RSA PRIVATE KEY");
        assertThat(Pem.matches(Pem.privateKey(bytes(rsa.keyPem()), "rsa"), rsa.certificate())).isTrue();
        assertThat(Pem.matches(Pem.privateKey(bytes(ec.pkcs8KeyPem()), "ec"), ec.certificate())).isTrue();
        assertThat(Pem.matches(Pem.privateKey(bytes(ec.pkcs8KeyPem()), "ec"), rsa.certificate())).isFalse();
    }

    @Test
    void inputWithoutAKeyIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> Pem.privateKey(bytes(SEC1_CERT), "the private key"))
                .hasMessage("the private key holds no PEM private key");
        assertThatThrownBy(() -> Pem.certificates(bytes("not a certificate"), "the chain"))
                .isInstanceOf(GeneralSecurityException.class);
    }
}
