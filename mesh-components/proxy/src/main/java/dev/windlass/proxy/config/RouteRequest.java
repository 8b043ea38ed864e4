package dev.windlass.proxy.config;

import io.netty.handler.codec.http.HttpHeaders;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** What routing looks at: the authority (Host), the path with its query, the method, the scheme and the headers. */
public record RouteRequest(String authority, String path, String method, String scheme, HttpHeaders headers) {

    public RouteRequest(String authority, String path, String method, HttpHeaders headers) {
        this(authority, path, method, "http", headers);
    }

    /** The path without the query string, as Envoy's path matchers see it. */
    public String pathOnly() {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    /** A header value, with Envoy's pseudo-headers :authority, :path, :method and :scheme mapped to the request. */
    public String header(String name) {
        return switch (name) {
            case ":authority" -> authority;
            case ":path" -> path;
            case ":method" -> method;
            case ":scheme" -> scheme;
            default -> headers.get(name);
        };
    }

    /** The first value of a query parameter, URL-decoded; "" for a parameter without a value; null if absent. */
    public String queryParameter(String name) {
        return queryParameter(path, name);
    }

    /** The same, of any path with its query (the JWT filter's query locations). */
    public static String queryParameter(String path, String name) {
        int q = path.indexOf('?');
        if (q < 0) {
            return null;
        }
        int start = q + 1;
        while (start <= path.length()) {
            int end = path.indexOf('&', start);
            if (end < 0) {
                end = path.length();
            }
            int eq = path.indexOf('=', start);
            boolean hasValue = eq >= 0 && eq < end;
            String key = path.substring(start, hasValue ? eq : end);
            if (decode(key).equals(name)) {
                return hasValue ? decode(path.substring(eq + 1, end)) : "";
            }
            start = end + 1;
        }
        return null;
    }

    private static String decode(String text) {
        if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
            return text;
        }
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
