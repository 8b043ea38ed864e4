package dev.windlass.proxy.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/**
 * A response the proxy makes itself, with Envoy's bodies and response flags, so that tools and people reading
 * Istio's docs see what they expect. {@code location} is set for redirects; {@code grpcStatus} (≥ 0) makes it a
 * gRPC trailers-only answer.
 */
record LocalReply(int status, String body, String flags, String location, int grpcStatus, String wwwAuthenticate) {
    static final LocalReply NO_ROUTE = new LocalReply(404, "", "NR");
    static final LocalReply NO_CLUSTER = new LocalReply(503, "", "NC");
    static final LocalReply NO_HEALTHY_UPSTREAM = new LocalReply(503, "no healthy upstream", "UH");
    /** A circuit breaker of the cluster tripped (Envoy's overflow): answered at once, with x-envoy-overloaded. */
    static final LocalReply OVERFLOW = new LocalReply(503,
            "upstream connect error or disconnect/reset before headers. reset reason: overflow", "UO");
    static final LocalReply TIMEOUT = new LocalReply(504, "upstream request timeout", "UT");
    /** An RBAC filter denied the request. Envoy has no response flag for it (its details say rbac_access_denied). */
    static final LocalReply RBAC_DENIED = new LocalReply(403, "RBAC: access denied", "-");

    LocalReply(int status, String body, String flags) {
        this(status, body, flags, null, -1, null);
    }

    LocalReply(int status, String body, String flags, String location, int grpcStatus) {
        this(status, body, flags, location, grpcStatus, null);
    }

    static LocalReply redirect(int status, String location) {
        return new LocalReply(status, "", "-", location, -1);
    }

    /**
     * The JWT filter refused the request: Envoy's status text as the body, and a Bearer challenge naming the
     * request's URI (scheme, host and path, no query) with {@code error="invalid_token"}.
     */
    static LocalReply jwtRefused(int status, String text, String realm) {
        return new LocalReply(status, text, "-", null, -1, "Bearer realm=\"" + realm + "\", error=\"invalid_token\"");
    }

    /** Envoy's fault filter abort; a gRPC abort answers 200 with the status in grpc-status. */
    static LocalReply faultAbort(int status) {
        return new LocalReply(status, "fault filter abort", "FI");
    }

    static LocalReply upstreamReset(String flag, String reason, boolean retried) {
        return new LocalReply(503, "upstream connect error or disconnect/reset before headers. "
                + (retried ? "retried and the latest " : "") + "reset reason: " + reason, flag);
    }

    FullHttpResponse toResponse(boolean close) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        if (bytes.length > 0) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
        }
        if ("UO".equals(flags)) {
            response.headers().set("x-envoy-overloaded", "true");
        }
        if (location != null) {
            response.headers().set(HttpHeaderNames.LOCATION, location);
        }
        if (wwwAuthenticate != null) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, wwwAuthenticate);
        }
        if (grpcStatus >= 0) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/grpc")
                    .set("grpc-status", grpcStatus).set("grpc-message", "fault filter abort");
        }
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }
}
