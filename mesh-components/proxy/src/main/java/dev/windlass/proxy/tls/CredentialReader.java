package dev.windlass.proxy.tls;

import dev.windlass.proxy.config.CredentialRef;
import dev.windlass.proxy.identity.WorkloadIdentity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what a {@link CredentialRef} names, now: PEM files, or a Secret through the Kubernetes API (keys
 * tls.crt/tls.key/ca.crt, or Istio's generic cert/key/cacert). Anything missing or unusable becomes
 * {@link Credential.Unavailable} with a reason that names files, Secrets and keys but never their content.
 */
final class CredentialReader {
    private final KubernetesSecrets secrets;
    private final WorkloadIdentity identity;

    /**
     * {@code secrets} is null outside a cluster: kubernetes:// credentials are then unavailable; so are the
     * workload ones while {@code identity} holds no certificate.
     */
    CredentialReader(KubernetesSecrets secrets, WorkloadIdentity identity) {
        this.secrets = secrets;
        this.identity = identity;
    }

    Credential read(CredentialRef ref) {
        try {
            return switch (ref) {
                case CredentialRef.KeyPairFiles files -> keyPair(ref, read(files.certificateChain()), read(files.privateKey()));
                case CredentialRef.CaFile file -> trust(ref, read(file.path()));
                case CredentialRef.Secret secret when secret.ca() -> secretCa(secret);
                case CredentialRef.Secret secret -> secretKeyPair(secret);
                case CredentialRef.Workload workload -> workload(workload);
            };
        } catch (NoSuchFileException e) {
            return new Credential.Unavailable(ref + ": no such file " + e.getFile());
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            return new Credential.Unavailable(ref + ": " + e.getMessage());
        }
    }

    /** The version of the workload certificate is its serial number; of the bundle, the roots' serials. */
    private Credential workload(CredentialRef.Workload ref) {
        if (ref.ca()) {
            return identity.trustBundle().isEmpty()
                    ? new Credential.Unavailable(ref + ": this proxy was given no CA root")
                    : new Credential.Trust(identity.trustBundle(), serials(identity.trustBundle()));
        }
        return identity.current()
                .<Credential>map(c -> new Credential.KeyPair(c.chain(), c.keys().getPrivate(), serials(c.chain())))
                .orElseGet(() -> new Credential.Unavailable(ref + ": not issued yet"));
    }

    private static String serials(List<X509Certificate> chain) {
        return String.join(",", chain.stream().map(c -> c.getSerialNumber().toString(16)).toList());
    }

    private static byte[] read(String file) throws IOException {
        return Files.readAllBytes(Path.of(file));
    }

    private Credential secretKeyPair(CredentialRef.Secret ref) throws IOException, GeneralSecurityException {
        Map<String, byte[]> data = secret(ref.name()).orElse(null);
        if (data == null) {
            return new Credential.Unavailable(ref + ": Secret " + ref.name() + " not found in namespace "
                    + secrets.namespace());
        }
        for (String[] keys : List.of(new String[]{"tls.crt", "tls.key"}, new String[]{"cert", "key"})) {
            if (data.containsKey(keys[0]) && data.containsKey(keys[1])) {
                return keyPair(ref, data.get(keys[0]), data.get(keys[1]));
            }
        }
        return new Credential.Unavailable(ref + ": Secret " + ref.name() + " has neither tls.crt and tls.key nor cert and key");
    }

    /** Istio's order: the Secret named as asked, else, for a {@code -cacert} name, the Secret without the suffix. */
    private Credential secretCa(CredentialRef.Secret ref) throws IOException, GeneralSecurityException {
        Optional<Map<String, byte[]>> data = secret(ref.name());
        String name = ref.name();
        if (data.isEmpty() && name.endsWith(CredentialRef.CA_SUFFIX)) {
            name = name.substring(0, name.length() - CredentialRef.CA_SUFFIX.length());
            data = secret(name);
        }
        if (data.isEmpty()) {
            return new Credential.Unavailable(ref + ": no Secret " + ref.name() + " or " + name + " in namespace "
                    + secrets.namespace());
        }
        for (String key : List.of("ca.crt", "cacert")) {
            if (data.get().containsKey(key)) {
                return trust(ref, data.get().get(key));
            }
        }
        return new Credential.Unavailable(ref + ": Secret " + name + " has no ca.crt or cacert");
    }

    private Optional<Map<String, byte[]>> secret(String name) throws IOException {
        if (secrets == null) {
            throw new IOException("not running in a Kubernetes cluster (KUBERNETES_SERVICE_HOST unset)");
        }
        return secrets.get(name);
    }

    private static Credential keyPair(CredentialRef ref, byte[] chainPem, byte[] keyPem) throws GeneralSecurityException {
        List<X509Certificate> chain = Pem.certificates(chainPem, "the certificate chain");
        PrivateKey key = Pem.privateKey(keyPem, "the private key");
        if (!Pem.matches(key, chain.getFirst())) {
            return new Credential.Unavailable(ref + ": the private key does not belong to the certificate");
        }
        return new Credential.KeyPair(chain, key, fingerprint(chainPem, keyPem));
    }

    private static Credential trust(CredentialRef ref, byte[] pem) throws GeneralSecurityException {
        return new Credential.Trust(Pem.certificates(pem, "the CA bundle"), fingerprint(pem));
    }

    /** A short SHA-256 over the bytes, to tell versions apart in logs without showing them. */
    private static String fingerprint(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
