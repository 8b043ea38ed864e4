package dev.windlass.traffic.istio;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The Istio kinds Windlass serves, with their API names. The versions of a group share one schema; v1 is stored.
 * {@code implemented} kinds are parsed and translated; the others are refused at admission until a later release
 * implements them.
 */
public enum IstioKind {
    VIRTUAL_SERVICE(ApiGroup.NETWORKING, "VirtualService", "virtualservices", "vs", true),
    DESTINATION_RULE(ApiGroup.NETWORKING, "DestinationRule", "destinationrules", "dr", true),
    GATEWAY(ApiGroup.NETWORKING, "Gateway", "gateways", "gw", true),
    SERVICE_ENTRY(ApiGroup.NETWORKING, "ServiceEntry", "serviceentries", "se", true),
    /** Not implemented: served so that a Sidecar (scoping, per-namespace outbound policy) is refused, not ignored. */
    SIDECAR(ApiGroup.NETWORKING, "Sidecar", "sidecars", null, false),
    PEER_AUTHENTICATION(ApiGroup.SECURITY, "PeerAuthentication", "peerauthentications", "pa", true),
    AUTHORIZATION_POLICY(ApiGroup.SECURITY, "AuthorizationPolicy", "authorizationpolicies", "ap", true),
    REQUEST_AUTHENTICATION(ApiGroup.SECURITY, "RequestAuthentication", "requestauthentications", "ra", true);

    public static final String STORAGE_VERSION = "v1";

    /** An Istio API group: its name, the versions Istio serves of it (newest first) and its CRD category. */
    public enum ApiGroup {
        NETWORKING("networking.istio.io", List.of("v1", "v1beta1", "v1alpha3"), "networking-istio-io"),
        SECURITY("security.istio.io", List.of("v1", "v1beta1"), "security-istio-io");

        private final String name;
        private final List<String> versions;
        private final String category;

        ApiGroup(String name, List<String> versions, String category) {
            this.name = name;
            this.versions = versions;
            this.category = category;
        }

        public String groupName() {
            return name;
        }

        public List<String> versions() {
            return versions;
        }

        public String category() {
            return category;
        }

        /** The kinds of this group, in IstioKind order. */
        public List<IstioKind> kinds() {
            return Arrays.stream(IstioKind.values()).filter(k -> k.group == this).toList();
        }

        public List<String> plurals() {
            return kinds().stream().map(IstioKind::plural).toList();
        }
    }

    private final ApiGroup group;
    private final String kind;
    private final String plural;
    private final String shortName;
    private final boolean implemented;

    IstioKind(ApiGroup group, String kind, String plural, String shortName, boolean implemented) {
        this.group = group;
        this.kind = kind;
        this.plural = plural;
        this.shortName = shortName;
        this.implemented = implemented;
    }

    public ApiGroup apiGroup() {
        return group;
    }

    /** {@code networking.istio.io} or {@code security.istio.io}. */
    public String group() {
        return group.groupName();
    }

    /** The stored version's apiVersion: {@code networking.istio.io/v1}. */
    public String apiVersion() {
        return group() + "/" + STORAGE_VERSION;
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

    /** The kind served as {@code group}/{@code version} under this name, if Windlass serves it there. */
    public static Optional<IstioKind> served(String group, String version, String kind) {
        return ofKind(kind).filter(k -> k.group().equals(group) && k.group.versions().contains(version));
    }

    public static Optional<IstioKind> ofPlural(String plural) {
        return Arrays.stream(values()).filter(k -> k.plural.equals(plural)).findFirst();
    }
}
