package dev.windlass.contract;

/**
 * Resource names exactly as Istio spells them (shared/design.md), so proxy-config output reads the same
 * and the proxy finds the listeners and clusters the discovery server names.
 */
public final class IstioNames {
    public static final String VIRTUAL_OUTBOUND = "virtualOutbound";
    public static final String VIRTUAL_INBOUND = "virtualInbound";
    public static final String PASSTHROUGH = "PassthroughCluster";
    public static final String BLACKHOLE = "BlackHoleCluster";
    public static final String INBOUND_PASSTHROUGH = "InboundPassthroughCluster";
    /** Pod label giving its locality as {@code region.zone.subzone}; it overrides the node's labels (Istio's). */
    public static final String LOCALITY_LABEL = "istio-locality";
    public static final String NODE_REGION_LABEL = "topology.kubernetes.io/region";
    public static final String NODE_ZONE_LABEL = "topology.kubernetes.io/zone";
    public static final String NODE_SUBZONE_LABEL = "topology.istio.io/subzone";
    /** The HTTP filter that verifies RequestAuthentication's JWTs, and the dynamic metadata it writes. */
    public static final String JWT_AUTHN_FILTER = "envoy.filters.http.jwt_authn";
    /** The key under {@link #JWT_AUTHN_FILTER}'s metadata where a verified token's payload is (Istio's). */
    public static final String JWT_PAYLOAD_METADATA = "payload";
    /** The upgrade_type Istio enables on every HttpConnectionManager: HTTP/1.1 WebSocket upgrades pass. */
    public static final String WEBSOCKET_UPGRADE = "websocket";

    private IstioNames() {
    }

    /** {@code outbound|<port>||<fqdn>}: the empty third field is the (DestinationRule) subset. */
    public static String outboundCluster(int port, String fqdn) {
        return outboundCluster(port, "", fqdn);
    }

    /** {@code outbound|<port>|<subset>|<fqdn>}: a DestinationRule subset's own cluster. */
    public static String outboundCluster(int port, String subset, String fqdn) {
        return "outbound|" + port + "|" + subset + "|" + fqdn;
    }

    public static String inboundCluster(int port) {
        return "inbound|" + port + "||";
    }

    public static String outboundListener(int port) {
        return "0.0.0.0_" + port;
    }

    public static String routeConfig(int port) {
        return String.valueOf(port);
    }
}
