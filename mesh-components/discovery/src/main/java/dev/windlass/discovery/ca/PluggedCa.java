package dev.windlass.discovery.ca;

import dev.windlass.caprotocol.KeyPairs;
import dev.windlass.contract.MeshIdentity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A CA plugged in by the user in Istio's {@code cacerts} layout, a Secret the discovery Deployment mounts (optional)
 * at {@link #DIRECTORY}: {@code ca-cert.pem} signs, with {@code ca-key.pem}; {@code cert-chain.pem} is what issued
 * certificates carry after their own (from {@code ca-cert.pem} up to the root; when absent, {@code ca-cert.pem} then
 * the root); {@code root-cert.pem} is the trust bundle, one root or, while the root rotates, the old and the new.
 * A set that does not hold together (key and certificate apart, a chain that does not reach a root) is refused with
 * the file named, so a typo never replaces a working CA.
 */
public final class PluggedCa {
    public static final Path DIRECTORY = Path.of(MeshIdentity.PLUGGED_CA_DIRECTORY);
    public static final String SECRET = MeshIdentity.PLUGGED_CA_SECRET;
    static final String CA_CERT = "ca-cert.pem";
    static final String CA_KEY = "ca-key.pem";
    static final String CERT_CHAIN = "cert-chain.pem";
    static final String ROOT_CERT = "root-cert.pem";

    private PluggedCa() {
    }

    /** Empty when no CA is plugged in (no {@code ca-cert.pem}: the Secret is absent or has no such key). */
    public static Optional<CertificateAuthority> read(Path directory) throws IOException {
        if (!Files.exists(directory.resolve(CA_CERT))) {
            return Optional.empty();
        }
        X509Certificate signer = one(directory, CA_CERT);
        PrivateKey key = key(directory);
        List<X509Certificate> roots = all(directory, ROOT_CERT);
        List<X509Certificate> chain = Files.exists(directory.resolve(CERT_CHAIN)) ? all(directory, CERT_CHAIN)
                : signer.equals(roots.getFirst()) ? List.of(signer) : List.of(signer, roots.getFirst());
        check(signer, key, chain, roots);
        return Optional.of(new CertificateAuthority(signer, key, chain, roots));
    }

    private static void check(X509Certificate signer, PrivateKey key, List<X509Certificate> chain,
                              List<X509Certificate> roots) {
        if (signer.getBasicConstraints() < 0) {
            throw refused(CA_CERT, "is not a CA certificate (basicConstraints CA:FALSE)");
        }
        if (!KeyPairs.belongTogether(key, signer.getPublicKey())) {
            throw refused(CA_KEY, "is not the key of " + CA_CERT);
        }
        if (!chain.getFirst().equals(signer)) {
            throw refused(CERT_CHAIN, "must begin with " + CA_CERT);
        }
        for (int i = 0; i + 1 < chain.size(); i++) {
            if (!signedBy(chain.get(i), chain.get(i + 1))) {
                throw refused(CERT_CHAIN, "certificate " + (i + 1) + " is not signed by certificate " + (i + 2));
            }
        }
        X509Certificate top = chain.getLast();
        if (roots.stream().noneMatch(root -> root.equals(top) || signedBy(top, root))) {
            throw refused(ROOT_CERT, "holds no root that " + CERT_CHAIN + " (or " + CA_CERT + ") chains to");
        }
    }

    private static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static PrivateKey key(Path directory) throws IOException {
        try {
            return Pem.privateKey(text(directory, CA_KEY));
        } catch (IllegalArgumentException e) {
            throw refused(CA_KEY, e.getMessage());
        }
    }

    private static X509Certificate one(Path directory, String file) throws IOException {
        return all(directory, file).getFirst();
    }

    private static List<X509Certificate> all(Path directory, String file) throws IOException {
        try {
            return new ArrayList<>(Pem.certificates(text(directory, file)));
        } catch (IllegalArgumentException e) {
            throw refused(file, e.getMessage());
        }
    }

    private static String text(Path directory, String file) throws IOException {
        try {
            return Files.readString(directory.resolve(file));
        } catch (NoSuchFileException e) {
            throw refused(file, "is missing");
        }
    }

    private static IllegalArgumentException refused(String file, String why) {
        return new IllegalArgumentException("plugged-in CA (Secret " + SECRET + "): " + file + " " + why);
    }
}
