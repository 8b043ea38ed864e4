package dev.windlass.api.v1alpha1;

/**
 * Settings the schema accepts but Windlass cannot honour yet, refused rather than ignored: by CEL at admission
 * (the rules below, on the fields they name) and by profiles' UnsupportedSettings offline, with the same message.
 * Each message starts "not supported by Windlass: " and the field's path inside spec (shared/design.md).
 */
public final class Unsupported {
    public static final String PREFIX = "not supported by Windlass: ";

    public static final String TRACING_SAMPLING_PATH = "meshConfig.tracing.sampling";
    /** On {@link MeshConfig.Tracing#sampling()}: 0 is what happens anyway, so only 0 is accepted. */
    public static final String TRACING_SAMPLING_RULE = "self == 0.0";
    public static final String TRACING_SAMPLING = PREFIX + TRACING_SAMPLING_PATH
            + ": Windlass does not trace requests yet; leave it out or set it to 0";

    public static final String EXPERIMENTAL_PATH = "values.experimental";
    /** On {@link Values}: no experimental feature exists in this version, so any flag would do nothing. */
    public static final String EXPERIMENTAL_RULE = "!has(self.experimental) || size(self.experimental) == 0";
    public static final String EXPERIMENTAL = PREFIX + EXPERIMENTAL_PATH
            + ": this version has no experimental features; leave it out";

    public static final String DISCOVERY_SERVICE_PATH = "components.discovery.k8s.service";
    /** On {@link DiscoveryComponent#k8s()}: the discovery Service's type and ports are the mesh's contract (design.md). */
    public static final String DISCOVERY_SERVICE_RULE = "!has(self.service)";
    public static final String DISCOVERY_SERVICE = PREFIX + DISCOVERY_SERVICE_PATH
            + ": the discovery Service is a ClusterIP Service with fixed ports; leave it out";

    private Unsupported() {
    }
}
