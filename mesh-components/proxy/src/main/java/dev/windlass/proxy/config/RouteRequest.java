package dev.windlass.proxy.config;

import io.netty.handler.codec.http.HttpHeaders;

/** What routing looks at: the authority (Host), the path with its query, the method and the headers. */
public record RouteRequest(String authority, String path, String method, HttpHeaders headers) {

    /** The path without the query string, as Envoy's path matchers see it. */
    public String pathOnly() {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    /** A header value, with Envoy's pseudo-headers :authority, :path and :method mapped to the request line. */
    public String header(String name) {
        return switch (name) {
            case ":authority" -> authority;
            case ":path" -> path;
            case ":method" -> method;
            default -> headers.get(name);
        };
    }
}
