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
        return toResponse(close, false);
    }

    /**
     * {@code grpcRequest}: the request was gRPC, so the reply is too (HTTP 200, no body, {@code grpc-status} from
     * the HTTP status and {@code grpc-message} the body, trailers-only on HTTP/2), unless it is a redirect.
     */
    FullHttpResponse toResponse(boolean close, boolean grpcRequest) {
        if (grpcRequest && grpcStatus < 0 && location == null && status != 200) {
            return new LocalReply(200, "", flags, null, GrpcRequests.status(status, flags), null).grpc(body, close);
        }
        if (grpcStatus >= 0) {
            return grpc("fault filter abort", close);
        }
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
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }

    /** A trailers-only gRPC answer: its status and message in the headers, no body. */
    private FullHttpResponse grpc(String message, boolean close) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.EMPTY_BUFFER);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/grpc").set(HttpHeaderNames.CONTENT_LENGTH, 0)
                .set("grpc-status", grpcStatus).set("grpc-message", percentEncoded(message));
        if ("UO".equals(flags)) {
            response.headers().set("x-envoy-overloaded", "true");
        }
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }

    /** gRPC's grpc-message encoding: printable ASCII but '%' as is, every other byte as %XX. */
    private static String percentEncoded(String message) {
        StringBuilder out = new StringBuilder(message.length());
        for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
            if (b >= 0x20 && b < 0x7f && b != '%') {
                out.append((char) b);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
