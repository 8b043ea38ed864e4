package dev.windlass.traffic.istio;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The Istio kinds Windlass serves, with their API names. The three versions (v1alpha3, v1beta1, v1) share one
 * schema; v1 is stored. {@code implemented} kinds are parsed and translated; the others are refused at admission
 * until a later release implements them.
 */
public enum IstioKind {
    VIRTUAL_SERVICE("VirtualService", "virtualservices", "vs", true),
    DESTINATION_RULE("DestinationRule", "destinationrules", "dr", true),
    GATEWAY("Gateway", "gateways", "gw", true),
    SERVICE_ENTRY("ServiceEntry", "serviceentries", "se", true),
    /** Not implemented: served so that a Sidecar (scoping, per-namespace outbound policy) is refused, not ignored. */
    SIDECAR("Sidecar", "sidecars", null, false);

    public static final String GROUP = "networking.istio.io";
    public static final List<String> VERSIONS = List.of("v1", "v1beta1", "v1alpha3");
    public static final String STORAGE_VERSION = "v1";

    private final String kind;
    private final String plural;
    private final String shortName;
    private final boolean implemented;

    IstioKind(String kind, String plural, String shortName, boolean implemented) {
        this.kind = kind;
        this.plural = plural;
        this.shortName = shortName;
        this.implemented = implemented;
    }

    public String kind() {
        return kind;
    }

    public String plural() {
        return plural;
    }

    /** Istio's short name, or null when the kind has none (Sidecar). */
    public String shortName() {
        return shortName;
    }

    public boolean implemented() {
        return implemented;
    }

    public static Optional<IstioKind> ofKind(String kind) {
        return Arrays.stream(values()).filter(k -> k.kind.equals(kind)).findFirst();
    }

    public static Optional<IstioKind> ofPlural(String plural) {
        return Arrays.stream(values()).filter(k -> k.plural.equals(plural)).findFirst();
    }

    public static List<String> plurals() {
        return Arrays.stream(values()).map(IstioKind::plural).toList();
    }
}
