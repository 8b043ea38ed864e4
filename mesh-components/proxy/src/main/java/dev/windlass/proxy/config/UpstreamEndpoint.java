package dev.windlass.proxy.config;

/**
 * One endpoint of a cluster, as EDS described it. {@code workload}, {@code namespace} and {@code version} come from
 * the endpoint's filter_metadata["istio"], for metric labels; null when absent.
 */
public record UpstreamEndpoint(String host, int port, boolean healthy, String workload, String namespace,
                               String version) {

    public String address() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
