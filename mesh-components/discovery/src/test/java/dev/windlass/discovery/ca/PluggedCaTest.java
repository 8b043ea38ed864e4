package dev.windlass.discovery.ca;

import dev.windlass.caprotocol.Pkcs10;
import dev.windlass.contract.SpiffeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Istio's {@code cacerts} layout read from files: what signs, what issued certificates carry, what is refused. */
class PluggedCaTest {
    private static final SpiffeId PRODUCTPAGE = new SpiffeId("cluster.local", "bookinfo", "bookinfo-productpage");
    private final CertificateAuthority root = CertificateAuthority.generate("root-a");
    @TempDir
    Path dir;

    @Test
    void noCaCertificateMeansNoPluggedInCa() throws Exception {
        assertThat(PluggedCa.read(dir)).isEmpty();
        assertThat(PluggedCa.read(dir.resolve("absent"))).isEmpty();
    }

    @Test
    void anIntermediateSignsWorkloadCertificatesThatChainToTheRoot() throws Exception {
        CertificateAuthority intermediate = CaFiles.intermediate(root, "intermediate-a1");
        CaFiles.write(dir, intermediate, root.roots());

        CertificateAuthority plugged = PluggedCa.read(dir).orElseThrow();
        KeyPair workload = Pkcs10.newKeyPair();
        List<String> chain = new WorkloadIssuer(() -> plugged, Duration.ofHours(1), Duration.ofDays(1))
                .issue(Pkcs10.pem(workload, PRODUCTPAGE), PRODUCTPAGE, 0);

        assertThat(chain).hasSize(3);
        assertThat(Pem.certificate(chain.get(1))).isEqualTo(intermediate.certificate());
        validate(chain.stream().limit(2).map(Pem::certificate).toList(), root.certificate());
        assertThat(plugged.rootsPem()).isEqualTo(Pem.write(root.certificate()));
    }

    @Test
    void withoutCertChainTheIssuedChainIsTheIntermediateThenTheRoot() throws Exception {
        CaFiles.write(dir, CaFiles.intermediate(root, "intermediate-a1"), root.roots());
        Files.delete(dir.resolve(PluggedCa.CERT_CHAIN));

        assertThat(PluggedCa.read(dir).orElseThrow().chain()).hasSize(2).endsWith(root.certificate());
    }

    @Test
    void aTrustBundleMayHoldTwoRoots() throws Exception {
        CertificateAuthority next = CertificateAuthority.generate("root-b");
        CaFiles.write(dir, CaFiles.intermediate(root, "intermediate-a1"), List.of(root.certificate(), next.certificate()));

        assertThat(PluggedCa.read(dir).orElseThrow().roots()).containsExactly(root.certificate(), next.certificate());
    }

    @Test
    void filesThatDoNotHoldTogetherAreRefusedNamingTheFile() throws Exception {
        CertificateAuthority intermediate = CaFiles.intermediate(root, "intermediate-a1");
        CaFiles.write(dir, intermediate, root.roots());
        Files.writeString(dir.resolve(PluggedCa.CA_KEY), Pem.write(Pkcs10.newKeyPair().getPrivate()));
        assertThatThrownBy(() -> PluggedCa.read(dir)).hasMessageContaining("ca-key.pem is not the key of ca-cert.pem");

        CaFiles.write(dir, intermediate, CertificateAuthority.generate("stranger").roots());
        assertThatThrownBy(() -> PluggedCa.read(dir)).hasMessageContaining("root-cert.pem holds no root");

        CaFiles.write(dir, intermediate, root.roots());
        Files.writeString(dir.resolve(PluggedCa.CERT_CHAIN), Pem.write(root.certificate()));
        assertThatThrownBy(() -> PluggedCa.read(dir)).hasMessageContaining("cert-chain.pem must begin with ca-cert.pem");

        CaFiles.write(dir, intermediate, root.roots());
        Files.delete(dir.resolve(PluggedCa.ROOT_CERT));
        assertThatThrownBy(() -> PluggedCa.read(dir)).hasMessageContaining("root-cert.pem is missing");

        Files.writeString(dir.resolve(PluggedCa.ROOT_CERT), "not pem");
        assertThatThrownBy(() -> PluggedCa.read(dir)).hasMessageContaining("root-cert.pem");
    }

    @Test
    void aLeafCertificateCannotSign() throws Exception {
        CertificateAuthority.Issued leaf = root.issueServing(List.of("x"), List.of(), Duration.ofHours(1));
        Files.writeString(dir.resolve(PluggedCa.CA_CERT), Pem.write(leaf.chain()[0]));
        Files.writeString(dir.resolve(PluggedCa.CA_KEY), Pem.write(leaf.key()));
        Files.writeString(dir.resolve(PluggedCa.ROOT_CERT), Pem.write(root.certificate()));

        assertThatThrownBy(() -> PluggedCa.read(dir)).hasMessageContaining("ca-cert.pem is not a CA certificate");
    }

    static void validate(List<X509Certificate> path, X509Certificate trusted) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(trusted, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path),
                parameters);
    }
}
