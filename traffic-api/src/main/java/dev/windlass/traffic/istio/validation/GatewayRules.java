package dev.windlass.traffic.istio.validation;

import dev.windlass.traffic.istio.GatewaySpec;
import dev.windlass.traffic.istio.ServerProtocol;

import java.util.HashSet;
import java.util.Set;

/**
 * Istio's validation of a Gateway (its ValidateGateway and validateServer): servers, hosts with namespace
 * prefixes, ports, and which TLS settings each protocol takes. Windlass refuses what it does not implement
 * (the modes ISTIO_MUTUAL, AUTO_PASSTHROUGH and OPTIONAL_MUTUAL, TLS termination on a TLS server, GRPC-WEB, UDP
 * and HTTP_PROXY, TLS 1.0 and 1.1) and, where Istio only warns that settings will be ignored (certificates on a
 * PASSTHROUGH server, httpsRedirect on a TCP server, invalid cipher suites), it refuses them too: an accepted
 * field always takes effect. TLS details are {@link ServerTlsRules}'.
 */
final class GatewayRules {
    private GatewayRules() {
    }

    static void check(GatewaySpec spec, Errors errors) {
        if (spec.servers().isEmpty()) {
            errors.add("spec.servers", "gateway must have at least one server");
        }
        Set<String> portNames = new HashSet<>();
        for (int i = 0; i < spec.servers().size(); i++) {
            String path = "spec.servers[" + i + "]";
            GatewaySpec.Server server = spec.servers().get(i);
            if (server == null) {
                errors.add(path, "server may not be nil");
                continue;
            }
            server(path, server, errors);
            String name = server.port() == null ? null : server.port().name();
            if (name != null && !portNames.add(name)) {
                errors.add(path + ".port.name", "port names in servers must be unique: duplicate name " + name);
            }
        }
    }

    private static void server(String path, GatewaySpec.Server server, Errors errors) {
        if (server.hosts().isEmpty()) {
            errors.add(path + ".hosts", "server config must contain at least one host");
        }
        for (int h = 0; h < server.hosts().size(); h++) {
            hostEntry(path + ".hosts[" + h + "]", server.hosts().get(h), errors);
        }
        ServerProtocol protocol = port(path + ".port", server.port(), errors);
        if (protocol == null) {
            return;
        }
        if (protocol.isTls() && server.tls() == null) {
            errors.add(path + ".tls", "server must have TLS settings for HTTPS/TLS protocols");
        } else if (server.tls() != null) {
            ServerTlsRules.check(path + ".tls", server, protocol, errors);
        }
    }

    /** The port's protocol when the port is usable, else null (the errors say why). */
    private static ServerProtocol port(String path, GatewaySpec.Port port, Errors errors) {
        if (port == null) {
            errors.add(path, "port is required");
            return null;
        }
        int before = errors.list().size();
        ServerProtocol protocol = ServerProtocol.parse(port.protocol()).orElse(null);
        if (protocol == null) {
            errors.add(path + ".protocol", "invalid protocol \"" + (port.protocol() == null ? "" : port.protocol())
                    + "\", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP");
        } else if (!protocol.supported()) {
            errors.notSupported(path + ".protocol", protocol.istioName());
        }
        if (port.numberOrZero() < 1 || port.numberOrZero() > 65535) {
            errors.add(path + ".number", "port number " + port.numberOrZero() + " must be in the range 1..65535");
        }
        if (port.targetPort() != null && port.targetPort() > 0) {
            errors.add(path + ".targetPort", "targetPort has no impact on Gateways");
        }
        if (port.name() == null || port.name().isEmpty()) {
            errors.add(path + ".name", "port name must be set");
        }
        return errors.list().size() == before ? protocol : null;
    }

    /**
     * A server host: {@code host}, or {@code namespace/host} where the namespace is {@code *}, {@code .} or a
     * namespace name. The host is an FQDN (short names are refused), {@code *}, a leading-wildcard name or an IP.
     */
    static void hostEntry(String path, String entry, Errors errors) {
        if (entry == null) {
            errors.add(path, "empty domain name not allowed");
            return;
        }
        int slash = entry.indexOf('/');
        if (slash < 0) {
            hostPart(path, entry, errors);
            return;
        }
        String namespace = entry.substring(0, slash);
        String host = entry.substring(slash + 1);
        if (namespace.isEmpty() || host.isEmpty()) {
            errors.add(path, "config namespace and dnsName in host entry cannot be empty");
        }
        if (!namespace.equals("*") && !namespace.equals(".") && !Values.dnsLabel(namespace)) {
            errors.add(path, "invalid namespace value \"" + namespace + "\" in gateway");
        }
        hostPart(path, host, errors);
    }

    private static void hostPart(String path, String host, Errors errors) {
        if (!host.equals("*") && !host.contains(".")) {
            errors.add(path, "short names (non FQDN) are not allowed");
        } else if (host.contains("*") && host.length() != 1 && !host.startsWith("*.")) {
            errors.add(path, "partial wildcard \"" + host + "\" not allowed");
        } else if (!Values.validHost(host) && !Values.isIp(host)) {
            errors.add(path, "domain name \"" + host + "\" invalid (a DNS name, optionally with a leading *. wildcard)");
        }
    }
}
