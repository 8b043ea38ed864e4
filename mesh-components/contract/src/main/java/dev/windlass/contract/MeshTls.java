package dev.windlass.contract;

import java.util.List;

/**
 * Mutual TLS between sidecars, in Istio's xDS terms, shared by the discovery server (which writes them) and the
 * proxy (which reads them). An endpoint whose pod has a sidecar carries {@code tlsMode: istio} in its
 * {@code envoy.transport_socket_match} metadata; a cluster's transport socket match of that name originates mesh
 * mTLS to it, with the proxy's own workload certificate (SDS {@code default}) checked against the mesh's trust
 * bundle (SDS {@code ROOTCA}), offering Istio's ALPN; a sidecar's inbound chain of those ALPN values terminates
 * it. The two SDS names are not fetched from the discovery server: each proxy resolves them locally, from the
 * certificate it obtained from the CA, as Istio's agent does.
 */
public final class MeshTls {
    /**
     * The injector labels a pod whose sidecar holds a workload certificate (Istio's security.istio.io/tlsMode);
     * the discovery server gives its endpoints the transport socket match below.
     */
    public static final String POD_LABEL = "security.windlass.dev/tlsMode";
    public static final String POD_LABEL_VALUE = "windlass";
    public static final String TRANSPORT_SOCKET_MATCH = "envoy.transport_socket_match";
    public static final String TLS_MODE_KEY = "tlsMode";
    public static final String TLS_MODE_MESH = "istio";
    /** The names of Istio's two transport socket matches of a cluster. */
    public static final String MATCH_MESH = "tlsMode-istio";
    public static final String MATCH_PLAIN = "tlsMode-disabled";
    public static final String SDS_CERTIFICATE = "default";
    public static final String SDS_ROOT_CA = "ROOTCA";
    /** What a mesh client offers by ALPN, and what marks a sidecar's inbound mTLS chain (Istio's values). */
    public static final List<String> ALPN = List.of("istio-peer-exchange", "istio");
    /** The header a sidecar sets on requests to its app with the client's SPIFFE id (Envoy's XFCC). */
    public static final String FORWARDED_CLIENT_CERT = "x-forwarded-client-cert";

    private MeshTls() {
    }
}
