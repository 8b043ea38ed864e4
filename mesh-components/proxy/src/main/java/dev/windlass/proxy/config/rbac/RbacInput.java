package dev.windlass.proxy.config.rbac;

import java.net.InetAddress;

/**
 * What RBAC rules see of a connection or of one request on it, read-only. A network RBAC filter sees a connection
 * without a request: {@link #hasRequest()} is false and its header and path matchers never match, as Envoy's.
 */
public interface RbacInput {

    /** The port of the original destination the connection was for. */
    int destinationPort();

    /** The original destination's address. */
    InetAddress destinationIp();

    /** The connection's remote address (sidecars trust no X-Forwarded-For hop, so it is also remote_ip). */
    InetAddress remoteIp();

    /** The SPIFFE URI SAN of the verified peer certificate; null without one (plain text, no client certificate). */
    String peerPrincipal();

    /** False for a connection (network RBAC): there are no headers and no path. */
    boolean hasRequest();

    /**
     * A request header by lower-case name, with the pseudo-headers {@code :method}, {@code :path} (query string
     * included, as Envoy's) and {@code :authority}; null when absent.
     */
    String header(String name);

    /** The request path without its query string and fragment. */
    String path();

    /**
     * The payload of the request's verified JWT when the JWT filter keeps it under {@code key}; null without one
     * (no token, no JWT filter, a connection).
     */
    default com.google.gson.JsonObject jwtPayload(String key) {
        return null;
    }
}
