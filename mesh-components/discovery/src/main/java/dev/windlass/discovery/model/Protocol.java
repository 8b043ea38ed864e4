package dev.windlass.discovery.model;

import java.util.Locale;

/**
 * The protocol of a Service port, decided as Istio does: {@code appProtocol} first, then the port name
 * ({@code http}, {@code http-*}, {@code http2[-*]}, {@code grpc[-*]}; {@code grpc-web*} is HTTP/1.1). Anything else
 * is plain TCP.
 */
public enum Protocol {
    HTTP, HTTP2, GRPC, TLS, TCP;

    /** Served through an HttpConnectionManager (routes by Host) rather than tcp_proxy. */
    public boolean isHttp() {
        return this != TCP && this != TLS;
    }

    /** The upstream must be spoken to in HTTP/2 (h2c), because the app expects it. */
    public boolean isHttp2() {
        return this == HTTP2 || this == GRPC;
    }

    public static Protocol of(String portName, String appProtocol) {
        if (appProtocol != null && !appProtocol.isEmpty()) {
            Protocol byApp = byAppProtocol(appProtocol.toLowerCase(Locale.ROOT));
            if (byApp != null) {
                return byApp;
            }
        }
        return byPortName(portName == null ? "" : portName.toLowerCase(Locale.ROOT));
    }

    private static Protocol byAppProtocol(String app) {
        return switch (app) {
            case "http" -> HTTP;
            case "http2", "h2c", "kubernetes.io/h2c" -> HTTP2;
            case "grpc" -> GRPC;
            case "https", "tls" -> TLS;
            default -> null;
        };
    }

    private static Protocol byPortName(String name) {
        if (name.startsWith("grpc-web")) {
            return HTTP; // gRPC-Web is HTTP/1.1-compatible; the app may not speak h2c
        }
        String prefix = name.contains("-") ? name.substring(0, name.indexOf('-')) : name;
        return switch (prefix) {
            case "http" -> HTTP;
            case "http2" -> HTTP2;
            case "grpc" -> GRPC;
            case "https", "tls" -> TLS;
            default -> TCP;
        };
    }
}
