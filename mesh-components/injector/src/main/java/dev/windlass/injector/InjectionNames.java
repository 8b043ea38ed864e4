package dev.windlass.injector;

/** The labels, annotations, container names and ports of injection, as shared/design.md fixes them. */
public final class InjectionNames {
    public static final String DEFAULT_REVISION = "default";
    /** Namespace label: {@code enabled} or {@code disabled}. */
    public static final String NAMESPACE_INJECTION_LABEL = "windlass-injection";
    /** Namespace or pod label naming the revision to inject; also put on every injected pod. */
    public static final String REVISION_LABEL = "windlass.dev/rev";
    /** Pod label or annotation: {@code "true"} or {@code "false"}. */
    public static final String INJECT = "sidecar.windlass.dev/inject";
    public static final String STATUS_ANNOTATION = "sidecar.windlass.dev/status";
    public static final String TLS_MODE_LABEL = "security.windlass.dev/tlsMode";
    public static final String TLS_MODE = "windlass";
    /** Pod annotation {@code "false"} keeps the app's HTTP probes as they are (Istio's rewriteAppHTTPProbers). */
    public static final String REWRITE_PROBES_ANNOTATION = "sidecar.windlass.dev/rewriteAppHTTPProbers";
    public static final String DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

    public static final String INIT_CONTAINER = "windlass-init";
    public static final String PROXY_CONTAINER = "windlass-proxy";
    /** The proxy's port for merged metrics and app-probe forwarding; never captured by the init rules. */
    public static final int PROXY_STATUS_PORT = 15020;
    /** The env var on the proxy carrying the original app probes (JSON), as Istio's ISTIO_KUBE_APP_PROBERS. */
    public static final String APP_PROBERS_ENV = "WINDLASS_KUBE_APP_PROBERS";

    private InjectionNames() {
    }

    /** {@code ""} and {@code null} mean the default revision, as the discovery server's REVISION does. */
    public static String revisionOrDefault(String revision) {
        return revision == null || revision.isEmpty() ? DEFAULT_REVISION : revision;
    }
}
