package dev.windlass.proxy.config;

/**
 * Where TLS material comes from: files on the proxy's disk (a mounted Secret, as Istio's file form), or a
 * Kubernetes Secret named by an SDS resource {@code kubernetes://<name>} that the gateway reads itself. A
 * reference is either a certificate with its key or a CA bundle. Compared by value: it keys the credential store.
 */
public sealed interface CredentialRef {
    String SDS_PREFIX = "kubernetes://";
    /** Istio's suffix of an SDS name asking for a credential's CA certificate. */
    String CA_SUFFIX = "-cacert";

    /** A certificate chain and its private key, each a PEM file. */
    record KeyPairFiles(String certificateChain, String privateKey) implements CredentialRef {
        @Override
        public String toString() {
            return "files " + certificateChain + " and " + privateKey;
        }
    }

    /** A PEM bundle of CA certificates. */
    record CaFile(String path) implements CredentialRef {
        @Override
        public String toString() {
            return "file " + path;
        }
    }

    /**
     * The SDS resource {@code kubernetes://<name>}, read from Secrets in the proxy's own namespace: Secret
     * {@code name}'s tls.crt and tls.key (or cert and key); or, when {@code ca}, a CA certificate (ca.crt or
     * cacert) as Istio resolves it: Secret {@code name}, else, for a name ending in -cacert, the Secret named
     * without that suffix.
     */
    record Secret(String name, boolean ca) implements CredentialRef {
        @Override
        public String toString() {
            return SDS_PREFIX + name;
        }
    }

    /**
     * The proxy's own workload certificate (SDS {@code default}) or, when {@code ca}, the mesh's trust bundle (SDS
     * {@code ROOTCA}): resolved in the proxy, from the certificate it obtained from the mesh CA.
     */
    record Workload(boolean ca) implements CredentialRef {
        @Override
        public String toString() {
            return ca ? "the mesh trust bundle (" + dev.windlass.contract.MeshTls.SDS_ROOT_CA + ")"
                    : "the workload certificate (" + dev.windlass.contract.MeshTls.SDS_CERTIFICATE + ")";
        }
    }
}
