package dev.windlass.proxy.http;

import dev.windlass.proxy.config.CorsConfig;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Envoy's CORS filter for one route: a preflight from an allowed origin is answered by the proxy (200 with the
 * allow headers, the app never sees it); one from another origin goes on to the app, or is answered without
 * allow headers when the policy says not to forward; an actual request from an allowed origin gets the
 * allow-origin, credentials and expose headers on its response.
 */
final class Cors {
    private Cors() {
    }

    /** The preflight answer the proxy gives itself, or null when the request goes on. */
    static LocalReply preflight(CorsConfig cors, HttpRequest request) {
        if (!isPreflight(request)) {
            return null;
        }
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (cors.allows(origin) || !cors.forwardNotMatchingPreflights()) {
            return new LocalReply(200, "", "-");
        }
        return null;
    }

    /** The headers of a preflight answer. */
    static void preflightHeaders(CorsConfig cors, HttpRequest request, FullHttpResponse response) {
        HttpHeaders out = response.headers();
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (cors.allows(origin)) {
            out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            if (cors.allowCredentials()) {
                out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
            }
        }
        String methods = cors.allowMethods();
        if (!methods.isEmpty()) {
            out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, methods.equals("*")
                    ? request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD) : methods);
        }
        String headers = cors.allowHeaders();
        String requested = request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
        if (!headers.isEmpty() && !(headers.equals("*") && requested == null)) {
            out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, headers.equals("*") ? requested : headers);
        }
        if (!cors.maxAge().isEmpty()) {
            out.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, cors.maxAge());
        }
    }

    /** The request's origin when it is allowed, for the actual response's headers; else null. */
    static String allowedOrigin(CorsConfig cors, HttpRequest request) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        return origin != null && !origin.isEmpty() && cors.allows(origin) ? origin : null;
    }

    static void responseHeaders(CorsConfig cors, String origin, HttpHeaders out) {
        out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        if (cors.allowCredentials()) {
            out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
        if (!cors.exposeHeaders().isEmpty()) {
            out.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, cors.exposeHeaders());
        }
    }

    private static boolean isPreflight(HttpRequest request) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        String method = request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
        return HttpMethod.OPTIONS.equals(request.method()) && origin != null && !origin.isEmpty()
                && method != null && !method.isEmpty();
    }
}
