package dev.windlass.discovery.routing;

import dev.windlass.traffic.istio.GatewayHosts;

import java.util.List;

/**
 * One server of a gateway: a port (its number and name as written), what the port carries, the hosts it exposes
 * ({@code host}, or {@code namespace/host} when only route sets of that namespace may use it) and its TLS
 * settings (null when it has none). {@code name} is the server's own name, empty when it has none.
 */
public record GatewayServer(String gateway, int port, String portName, Kind kind, List<String> hosts, ServerTls tls,
                            String name) {

    /**
     * HTTP: plain-text HTTP (HTTP/1.1, h2c, gRPC), routed by Host. HTTPS: TLS terminated here, then routed as HTTP.
     * TLS: TLS passed through to the backend, chosen by SNI. TCP: opaque bytes to one destination.
     */
    public enum Kind { HTTP, HTTPS, TLS, TCP }

    public GatewayServer {
        hosts = List.copyOf(hosts);
        name = name == null ? "" : name;
    }

    /** The owning gateway's {@code namespace/name}, split. */
    public String gatewayNamespace() {
        return gateway.substring(0, gateway.indexOf('/'));
    }

    public String gatewayName() {
        return gateway.substring(gateway.indexOf('/') + 1);
    }

    /** The host names a route set of {@code namespace} may bind to on this server (without namespaces). */
    public List<String> hostsFor(String namespace) {
        return GatewayHosts.forNamespace(hosts, namespace);
    }

    /** The host names without their namespace: the SNI names of a TLS server's filter chain. */
    public List<String> hostNames() {
        return GatewayHosts.names(hosts);
    }

    /**
     * Istio's pickMatchingGatewayHosts: whether some host of {@code set} lies in a host of this server that its
     * namespace may use. (TCP and TLS routes need no more: they are not chosen by Host.)
     */
    public boolean exposesAHostOf(RouteSet set) {
        return hostsFor(set.namespace()).stream().anyMatch(h -> set.hosts().stream().anyMatch(v -> HostPattern.overlap(h, v)));
    }

    public boolean redirectsToHttps() {
        return tls != null && tls.httpsRedirect();
    }

    /**
     * A terminating server's TLS: where the certificate comes from (a Secret's name, or files in the gateway pod),
     * whether client certificates are required (MUTUAL; their CA from the Secret or {@code caCertificates}), which
     * client names are accepted, protocol versions ({@code TLSV1_2}...) and cipher suites (OpenSSL names). For
     * a plain HTTP server only {@code httpsRedirect} is set.
     */
    public record ServerTls(boolean httpsRedirect, boolean mutual, String credentialName, String serverCertificate,
                            String privateKey, String caCertificates, List<String> subjectAltNames,
                            String minProtocolVersion, String maxProtocolVersion, List<String> cipherSuites) {
        public ServerTls {
            subjectAltNames = List.copyOf(subjectAltNames);
            cipherSuites = List.copyOf(cipherSuites);
        }
    }
}
