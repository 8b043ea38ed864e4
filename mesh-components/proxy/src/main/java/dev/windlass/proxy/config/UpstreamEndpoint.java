package dev.windlass.proxy.config;

/**
 * One endpoint of a cluster, as EDS described it. {@code workload}, {@code namespace} and {@code version} come from
 * the endpoint's filter_metadata["istio"], for metric labels; null when absent. {@code priority}, {@code locality}
 * (the index of its LocalityLbEndpoints in the assignment) and {@code localityWeight} (that group's
 * load_balancing_weight, 0 when unset) place it for priority and locality-weighted load balancing. {@code tlsMode}
 * is the value of its transport socket match metadata (Istio's {@code istio} where a sidecar takes mesh mTLS), or
 * null.
 */
public record UpstreamEndpoint(String host, int port, boolean healthy, String workload, String namespace,
                               String version, java.net.InetSocketAddress socketAddress, int priority, int locality,
                               int localityWeight, String tlsMode) {

    public UpstreamEndpoint(String host, int port, boolean healthy, String workload, String namespace, String version,
                            java.net.InetSocketAddress socketAddress, int priority, int locality, int localityWeight) {
        this(host, port, healthy, workload, namespace, version, socketAddress, priority, locality, localityWeight, null);
    }

    /** This endpoint with the {@code tlsMode} of its transport socket match metadata (null: none). */
    public UpstreamEndpoint withTlsMode(String mode) {
        return new UpstreamEndpoint(host, port, healthy, workload, namespace, version, socketAddress, priority, locality,
                localityWeight, mode);
    }

    public UpstreamEndpoint(String host, int port, boolean healthy, String workload, String namespace, String version) {
        this(host, port, healthy, workload, namespace, version, 0, 0, 0);
    }

    public UpstreamEndpoint(String host, int port, boolean healthy, String workload, String namespace, String version,
                            int priority, int locality, int localityWeight) {
        this(host, port, healthy, workload, namespace, version, socket(host, port), priority, locality, localityWeight);
    }

    /**
     * Made once per config update: IP literals are parsed without DNS; names are left unresolved, for Netty's
     * resolver rather than a blocking lookup on the data path.
     */
    private static java.net.InetSocketAddress socket(String host, int port) {
        boolean literal = host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
        return literal ? new java.net.InetSocketAddress(host, port) : java.net.InetSocketAddress.createUnresolved(host, port);
    }

    /** This endpoint at a resolved address of its name (a DNS cluster's host). */
    public UpstreamEndpoint at(java.net.InetAddress resolved) {
        return new UpstreamEndpoint(resolved.getHostAddress(), port, healthy, workload, namespace, version,
                new java.net.InetSocketAddress(resolved, port), priority, locality, localityWeight, tlsMode);
    }

    public String address() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
