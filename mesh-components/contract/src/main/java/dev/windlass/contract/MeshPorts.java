package dev.windlass.contract;

/** The mesh's fixed ports, Istio's numbers (shared/design.md): the renderer publishes them, the programs bind them. */
public final class MeshPorts {
    /** The proxy's admin, on 127.0.0.1 only. */
    public static final int PROXY_ADMIN = 15000;
    /** Where iptables sends the app's outbound connections (virtualOutbound). */
    public static final int OUTBOUND_CAPTURE = 15001;
    /** Where iptables sends the pod's inbound connections (virtualInbound). */
    public static final int INBOUND_CAPTURE = 15006;
    public static final int XDS_PLAINTEXT = 15010;
    public static final int XDS_TLS = 15012;
    public static final int DISCOVERY_METRICS = 15014;
    public static final int WEBHOOK = 15017;
    /** The proxy's merged metrics and the rewritten app probes. */
    public static final int PROXY_STATUS = 15020;
    public static final int PROXY_READINESS = 15021;
    public static final int PROXY_METRICS = 15090;

    /** Inbound traffic reaches the app from this address, which the iptables rules let through uncaptured. */
    public static final String INBOUND_SOURCE = "127.0.0.6";

    private MeshPorts() {
    }
}
