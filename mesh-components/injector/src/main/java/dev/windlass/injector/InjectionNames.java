package dev.windlass.injector;

/** The injector's own labels and annotations; the names it shares with the other components are in dev.windlass.contract. */
public final class InjectionNames {
    public static final String STATUS_ANNOTATION = "sidecar.windlass.dev/status";
    /** Pod annotation {@code "false"} keeps the app's HTTP probes as they are (Istio's rewriteAppHTTPProbers). */
    public static final String REWRITE_PROBES_ANNOTATION = "sidecar.windlass.dev/rewriteAppHTTPProbers";
    public static final String DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

    private InjectionNames() {
    }
}
