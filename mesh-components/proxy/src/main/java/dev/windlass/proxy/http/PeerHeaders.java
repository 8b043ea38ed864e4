package dev.windlass.proxy.http;

/**
 * Metadata exchange between sidecars, in plain headers: the client sidecar names its workload on the request,
 * the server sidecar names its own on the response; each side strips what it read.
 */
final class PeerHeaders {
    static final String WORKLOAD = "x-windlass-peer-workload";
    static final String NAMESPACE = "x-windlass-peer-namespace";
    static final String SERVICE_TIME = "x-envoy-upstream-service-time";
    static final String REQUEST_ID = "x-request-id";
    static final String FORWARDED_PROTO = "x-forwarded-proto";

    private PeerHeaders() {
    }
}
