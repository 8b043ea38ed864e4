package dev.windlass.proxy.config.rbac;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;

/** A request or connection as the evaluator's view shows it, written by a test. */
record RbacTestInput(int destinationPort, InetAddress destinationIp, InetAddress remoteIp, String peerPrincipal,
                     boolean hasRequest, Map<String, String> headers) implements RbacInput {

    /** {@code GET uri} from 10.0.0.5 to 10.0.0.9:8080, plain text, Host app.test. */
    static RbacTestInput request(String method, String uri) {
        Map<String, String> headers = new HashMap<>(Map.of(":method", method, ":path", uri, ":authority", "app.test"));
        return new RbacTestInput(8080, ip("10.0.0.9"), ip("10.0.0.5"), null, true, headers);
    }

    /** A connection (network RBAC) from 10.0.0.5 to 10.0.0.9:{@code port}. */
    static RbacTestInput connection(int port) {
        return new RbacTestInput(port, ip("10.0.0.9"), ip("10.0.0.5"), null, false, Map.of());
    }

    RbacTestInput withHeader(String name, String value) {
        Map<String, String> more = new HashMap<>(headers);
        more.put(name, value);
        return new RbacTestInput(destinationPort, destinationIp, remoteIp, peerPrincipal, hasRequest, more);
    }

    RbacTestInput withPeer(String principal) {
        return new RbacTestInput(destinationPort, destinationIp, remoteIp, principal, hasRequest, headers);
    }

    RbacTestInput from(String address) {
        return new RbacTestInput(destinationPort, destinationIp, ip(address), peerPrincipal, hasRequest, headers);
    }

    RbacTestInput to(String address) {
        return new RbacTestInput(destinationPort, ip(address), remoteIp, peerPrincipal, hasRequest, headers);
    }

    @Override
    public String header(String name) {
        return hasRequest ? headers.get(name) : null;
    }

    @Override
    public String path() {
        String uri = header(":path");
        return uri == null ? null : uri.split("[?#]", 2)[0];
    }

    private static InetAddress ip(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }
}
