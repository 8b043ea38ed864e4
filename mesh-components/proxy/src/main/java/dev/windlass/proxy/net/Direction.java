package dev.windlass.proxy.net;

/** Which way a connection goes through the proxy; it decides the metrics reporter and the header rules. */
public enum Direction {
    /** From the app to the mesh (15001): the proxy reports as the source. */
    OUTBOUND("source"),
    /** From the mesh to the app (15006): the proxy reports as the destination. */
    INBOUND("destination"),
    /** Into a gateway's own listener: it reports as a source, like Istio's gateways. */
    GATEWAY("source");

    private final String reporter;

    Direction(String reporter) {
        this.reporter = reporter;
    }

    public String reporter() {
        return reporter;
    }
}
