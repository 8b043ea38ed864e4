package dev.windlass.traffic.istio;

import java.util.List;
import java.util.Map;

/**
 * The spec of a Gateway ({@code networking.istio.io}, v1alpha3, v1beta1 and v1 alike): which gateway pods it
 * configures ({@code selector} on their labels) and the servers they listen with. {@code bind} (a listener on one
 * address) and {@code defaultEndpoint} are not in the model, so the strict parser refuses them by name; so are the
 * TLS fields Windlass does not implement ({@code caCrl}, {@code credentialNames}, {@code tlsCertificates},
 * {@code verifyCertificateSpki}, {@code verifyCertificateHash}).
 */
public record GatewaySpec(Map<String, String> selector, List<Server> servers) {

    public GatewaySpec {
        selector = Nulls.map(selector);
        servers = Nulls.list(servers);
    }

    /**
     * One server: a port, the hosts it exposes ({@code host}, or {@code namespace/host} to take only the
     * VirtualServices of that namespace, {@code ./host} for the Gateway's own, {@code *}/host for any), its TLS
     * settings and an optional name (the stat prefix of its HTTPS filter chain, as Istio uses it).
     */
    public record Server(Port port, List<String> hosts, ServerTls tls, String name) {
        public Server {
            hosts = Nulls.list(hosts);
        }

        /** The protocol, or null when the port or its protocol is missing or unknown (validation says so). */
        public ServerProtocol protocol() {
            return port == null ? null : ServerProtocol.parse(port.protocol()).orElse(null);
        }

        /** The TLS mode; Istio's default when {@code tls} is given without one is PASSTHROUGH. */
        public String tlsMode() {
            return tls == null ? null : tls.mode() == null ? ServerTls.PASSTHROUGH : tls.mode();
        }
    }

    /** {@code targetPort} is deprecated in Istio and refused for Gateways ("has no impact"), as Istio does. */
    public record Port(Integer number, String protocol, String name, Integer targetPort) {
        public int numberOrZero() {
            return number == null ? 0 : number;
        }
    }

    /**
     * A server's TLS settings: a redirect of plain HTTP to HTTPS, or how TLS on the port is handled ({@code mode}
     * PASSTHROUGH, SIMPLE or MUTUAL), with the certificate either from a Secret ({@code credentialName}) or from
     * files in the gateway pod, and the protocol versions and cipher suites (OpenSSL names) it accepts.
     */
    public record ServerTls(Boolean httpsRedirect, String mode, String serverCertificate, String privateKey,
                            String caCertificates, String credentialName, List<String> subjectAltNames,
                            String minProtocolVersion, String maxProtocolVersion, List<String> cipherSuites) {
        public static final String PASSTHROUGH = "PASSTHROUGH";
        public static final String SIMPLE = "SIMPLE";
        public static final String MUTUAL = "MUTUAL";

        public ServerTls {
            subjectAltNames = Nulls.list(subjectAltNames);
            cipherSuites = Nulls.list(cipherSuites);
        }

        public boolean redirectsToHttps() {
            return Boolean.TRUE.equals(httpsRedirect);
        }
    }
}
