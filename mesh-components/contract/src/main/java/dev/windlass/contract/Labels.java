package dev.windlass.contract;

/** The labels and annotations one component writes and another selects on (shared/design.md). */
public final class Labels {
    /** On every mesh object, namespace and injected pod: the revision it belongs to or asks for. */
    public static final String REVISION = "windlass.dev/rev";
    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String VERSION = "app.kubernetes.io/version";
    /** What part of the mesh an object is (discovery, gateway, traffic-api, ...). */
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String PART_OF = "app.kubernetes.io/part-of";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    /** The value of {@link #MANAGED_BY} on what the operator applies. */
    public static final String MANAGED_BY_OPERATOR = "windlass-operator";
    /** Namespace label: {@code enabled} or {@code disabled}. */
    public static final String NAMESPACE_INJECTION = "windlass-injection";
    /** Pod label or annotation: {@code "true"} or {@code "false"}. */
    public static final String INJECT = "sidecar.windlass.dev/inject";

    private Labels() {
    }
}
