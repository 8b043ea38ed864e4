package dev.windlass.contract;

import java.util.List;

/**
 * The environment variables the renderer sets on the mesh's containers and the programs read, each spelt once.
 * The discovery server also takes each of its own as a flag: the name lower-cased with dashes
 * ({@code DEBOUNCE_QUIET_MS} is {@code --debounce-quiet-ms}).
 */
public final class EnvVars {
    // Every mesh container: who the pod is (from the downward API), and how to log.
    public static final String POD_NAME = "POD_NAME";
    public static final String POD_NAMESPACE = "POD_NAMESPACE";
    public static final String INSTANCE_IP = "INSTANCE_IP";
    public static final String SERVICE_ACCOUNT = "SERVICE_ACCOUNT";
    public static final String REVISION = "REVISION";
    /** {@code true}: the program's own log is one JSON object per line (values.global.logAsJson). */
    public static final String LOG_AS_JSON = "LOG_AS_JSON";

    // The discovery server.
    public static final String LOG_LEVEL = "LOG_LEVEL";
    public static final String MESH_INSTANCE = "MESH_INSTANCE";
    public static final String INJECTION_WEBHOOK_NAME = "INJECTION_WEBHOOK_NAME";
    public static final String VALIDATION_WEBHOOK_NAME = "VALIDATION_WEBHOOK_NAME";
    /** values.discovery.debounceQuietMillis: the quiet period before a push. */
    public static final String DEBOUNCE_QUIET_MS = "DEBOUNCE_QUIET_MS";
    /** values.discovery.debounceMaxMillis: the longest a push waits for quiet. */
    public static final String DEBOUNCE_MAX_MS = "DEBOUNCE_MAX_MS";

    // The proxy, sidecar and gateway alike (meshConfig.defaultConfig and the access log settings).
    public static final String DISCOVERY_ADDRESS = "DISCOVERY_ADDRESS";
    public static final String PROXY_CONCURRENCY = "PROXY_CONCURRENCY";
    public static final String PROXY_LOG_LEVEL = "PROXY_LOG_LEVEL";
    public static final String PROXY_DRAIN_SECONDS = "PROXY_DRAIN_SECONDS";
    public static final String ISTIO_METRIC_NAMES = "ISTIO_METRIC_NAMES";
    public static final String ACCESS_LOG_FILE = "ACCESS_LOG_FILE";
    /** {@code TEXT} or {@code JSON} (meshConfig.accessLogEncoding). */
    public static final String ACCESS_LOG_ENCODING = "ACCESS_LOG_ENCODING";
    /**
     * Set by the injector on the sidecar: the mesh CA's root certificate (PEM), which the proxy trusts for the
     * discovery server's TLS port (Istio mounts it from the istio-ca-root-cert ConfigMap).
     */
    public static final String CA_ROOT_CERT = "CA_ROOT_CERT";
    /** Set by the injector on the sidecar: the app's original HTTP probes (JSON), as Istio's ISTIO_KUBE_APP_PROBERS. */
    public static final String APP_PROBERS = "WINDLASS_KUBE_APP_PROBERS";

    /** What the renderer sets on a proxy from typed settings: meshConfig.defaultConfig.proxyMetadata may not set these. */
    public static final List<String> PROXY_SETTINGS = List.of(POD_NAME, POD_NAMESPACE, INSTANCE_IP, SERVICE_ACCOUNT, REVISION,
            LOG_AS_JSON, DISCOVERY_ADDRESS, PROXY_CONCURRENCY, PROXY_LOG_LEVEL, PROXY_DRAIN_SECONDS, ISTIO_METRIC_NAMES,
            ACCESS_LOG_FILE, ACCESS_LOG_ENCODING, CA_ROOT_CERT);

    private EnvVars() {
    }

    /** The discovery server's flag for one of its variables: {@code DEBOUNCE_QUIET_MS} → {@code debounce-quiet-ms}. */
    public static String flag(String envVar) {
        return envVar.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
