package dev.windlass.discovery.routing;

/**
 * An upstream cluster by Istio's coordinates: host (an FQDN), subset (empty for all endpoints) and port. Port 0
 * means "not said": the builder picks the Service's only port, or else the port the request came in on.
 */
public record ClusterRef(String host, String subset, int port) {

    public ClusterRef {
        subset = subset == null ? "" : subset;
    }

    public ClusterRef withPort(int newPort) {
        return new ClusterRef(host, subset, newPort);
    }
}
