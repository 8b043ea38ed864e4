package dev.windlass.contract;

/**
 * How a proxy proves who it is to the discovery server (15012): a projected ServiceAccount token of this audience,
 * mounted by the injector at this path and sent as {@code authorization: Bearer <token>}; the discovery server
 * checks it with a TokenReview. Istio's layout, with Windlass's names.
 */
public final class MeshIdentity {
    public static final String CA_AUDIENCE = "windlass-ca";
    public static final String TOKEN_DIRECTORY = "/var/run/secrets/tokens";
    public static final String TOKEN_FILE = "windlass-token";
    public static final String TOKEN_PATH = TOKEN_DIRECTORY + "/" + TOKEN_FILE;
    /** Istio's CA protocol (istio.v1.auth.IstioCertificateService), which proxies call over the same port as xDS. */
    public static final String CA_SERVICE = "istio.v1.auth.IstioCertificateService";
    public static final String CA_METHOD = "CreateCertificate";

    private MeshIdentity() {
    }
}
