package dev.windlass.traffic.istio;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The protocol of a Gateway server, by Istio's names (case does not matter, as in Istio's protocol.Parse). MONGO,
 * MYSQL and REDIS are opaque TCP, which is what Istio makes of them while its filters for them are off (its
 * default). GRPC-WEB, UDP and HTTP_PROXY parse, and Windlass refuses them at admission.
 */
public enum ServerProtocol {
    HTTP("HTTP"), HTTP2("HTTP2"), GRPC("GRPC"), HTTPS("HTTPS"), TLS("TLS"), TCP("TCP"), MONGO("MONGO"),
    MYSQL("MYSQL"), REDIS("REDIS"), GRPC_WEB("GRPC-WEB"), UDP("UDP"), HTTP_PROXY("HTTP_PROXY");

    private final String istioName;

    ServerProtocol(String istioName) {
        this.istioName = istioName;
    }

    public static Optional<ServerProtocol> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String upper = name.toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.istioName.equals(upper)).findFirst();
    }

    public String istioName() {
        return istioName;
    }

    /** Plain-text HTTP: the requests are routed by an HTTP connection manager, without TLS. */
    public boolean isHttp() {
        return this == HTTP || this == HTTP2 || this == GRPC || this == GRPC_WEB || this == HTTP_PROXY;
    }

    /** TLS on the wire: terminated (HTTPS, or TLS with SIMPLE/MUTUAL) or passed through by SNI. */
    public boolean isTls() {
        return this == HTTPS || this == TLS;
    }

    /** Whether Windlass serves it. */
    public boolean supported() {
        return this != GRPC_WEB && this != UDP && this != HTTP_PROXY;
    }
}
