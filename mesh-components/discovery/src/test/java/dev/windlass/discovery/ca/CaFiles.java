package dev.windlass.discovery.ca;

import dev.windlass.testsupport.tls.TestPki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/** Istio's {@code cacerts} files for tests: intermediates signed by a root, written as the kubelet would mount them. */
public final class CaFiles {
    private CaFiles() {
    }

    /** An intermediate CA signed by {@code root} (a self-signed CA), chain up to the root. */
    public static CertificateAuthority intermediate(CertificateAuthority root, String commonName) throws Exception {
        TestPki.Issued issued = TestPki.intermediate(
                new TestPki.Issued(root.certificate(), root.key(), List.of(root.certificate())), commonName);
        return new CertificateAuthority(issued.certificate(), issued.key(), List.of(issued.certificate(), root.certificate()),
                root.roots());
    }

    /** Writes {@code signer} with {@code roots} as the trust bundle into {@code directory}, Istio's file names. */
    public static void write(Path directory, CertificateAuthority signer, List<X509Certificate> roots) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(PluggedCa.CA_CERT), Pem.write(signer.certificate()));
        Files.writeString(directory.resolve(PluggedCa.CA_KEY), Pem.write(signer.key()));
        Files.writeString(directory.resolve(PluggedCa.CERT_CHAIN), pems(signer.chain()));
        Files.writeString(directory.resolve(PluggedCa.ROOT_CERT), pems(roots));
    }

    public static String pems(List<X509Certificate> certificates) {
        return String.join("", certificates.stream().map(Pem::write).toList());
    }
}
