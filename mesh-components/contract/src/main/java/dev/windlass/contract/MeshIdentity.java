package dev.windlass.contract;

/**
 * How a proxy proves who it is to the discovery server (15012): a projected ServiceAccount token of this audience,
 * mounted by the injector at this path and sent as {@code authorization: Bearer <token>}; the discovery server
 * checks it with a TokenReview. Istio's layout, with Windlass's names.
 */
public final class MeshIdentity {
    public static final String CA_AUDIENCE = "windlass-ca";
    /** The Secret in the mesh namespace holding the CA's certificate and key: the one Secret the discovery server reads. */
    public static final String CA_SECRET = "windlass-ca";
    /**
     * A CA the user plugs in, Istio's {@code cacerts} Secret layout (ca-cert.pem, ca-key.pem, cert-chain.pem,
     * root-cert.pem), mounted (optional) into the discovery server where istiod mounts it; when present it signs
     * instead of {@link #CA_SECRET}'s, and its files are read again while the server runs (root rotation).
     */
    public static final String PLUGGED_CA_SECRET = "cacerts";
    public static final String PLUGGED_CA_DIRECTORY = "/etc/cacerts";
    public static final String TOKEN_DIRECTORY = "/var/run/secrets/tokens";
    public static final String TOKEN_FILE = "windlass-token";
    public static final String TOKEN_PATH = TOKEN_DIRECTORY + "/" + TOKEN_FILE;
    /**
     * The CA's certificate, which sidecars and gateways check the TLS port with: a ConfigMap the discovery server
     * keeps in every namespace (Istio's istio-ca-root-cert), mounted at this directory. Its name carries the mesh
     * namespace, as cluster-scoped names do, so that two meshes on one cluster never write the same object.
     */
    public static String rootCertConfigMap(String meshNamespace) {
        return "windlass-ca-root-cert-" + meshNamespace;
    }

    public static final String ROOT_CERT_KEY = "root-cert.pem";
    public static final String ROOT_CERT_DIRECTORY = "/var/run/secrets/windlass/ca";
    public static final String ROOT_CERT_PATH = ROOT_CERT_DIRECTORY + "/" + ROOT_CERT_KEY;
    /** Istio's CA protocol (istio.v1.auth.IstioCertificateService), which proxies call over the same port as xDS. */
    public static final String CA_SERVICE = "istio.v1.auth.IstioCertificateService";
    public static final String CA_METHOD = "CreateCertificate";

    private MeshIdentity() {
    }
}
