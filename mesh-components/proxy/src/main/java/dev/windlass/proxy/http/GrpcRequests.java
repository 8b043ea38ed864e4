package dev.windlass.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/**
 * What the proxy does differently for a gRPC request (content-type {@code application/grpc...}), as Envoy does: its
 * {@code grpc-timeout} bounds the route's timeout, and a reply the proxy makes itself is a gRPC answer (HTTP 200,
 * trailers-only, {@code grpc-status} from the HTTP status) that a gRPC client can read.
 */
final class GrpcRequests {
    private static final String CONTENT_TYPE = "application/grpc";
    private static final String TIMEOUT = "grpc-timeout";
    private static final long MAX_DIGITS = 8;

    private GrpcRequests() {
    }

    static boolean isGrpc(HttpRequest request) {
        String type = request == null ? null : request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        return type != null && type.regionMatches(true, 0, CONTENT_TYPE, 0, CONTENT_TYPE.length());
    }

    /**
     * The timeout of {@code request} in nanoseconds: the route's ({@code routeNanos}, 0 none), or its
     * {@code grpc-timeout} when the route reads it ({@code maxNanos} ≥ 0, 0 without a cap) and it is shorter. A
     * malformed header is ignored, as Envoy ignores it.
     */
    static long timeoutNanos(HttpRequest request, long routeNanos, long maxNanos) {
        if (maxNanos < 0) {
            return routeNanos;
        }
        String header = request.headers().get(TIMEOUT);
        long asked = header == null ? -1 : parse(header);
        if (asked <= 0) {
            return routeNanos;
        }
        long capped = maxNanos > 0 ? Math.min(asked, maxNanos) : asked;
        return routeNanos > 0 ? Math.min(routeNanos, capped) : capped;
    }

    /** gRPC's TimeoutValue TimeoutUnit: at most 8 digits, then H, M, S, m, u or n; -1 when malformed. */
    static long parse(CharSequence value) {
        int length = value.length();
        if (length < 2 || length - 1 > MAX_DIGITS) {
            return -1;
        }
        long amount = 0;
        for (int i = 0; i < length - 1; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            amount = amount * 10 + (c - '0');
        }
        return switch (value.charAt(length - 1)) {
            case 'H' -> amount * 3_600_000_000_000L;
            case 'M' -> amount * 60_000_000_000L;
            case 'S' -> amount * 1_000_000_000L;
            case 'm' -> amount * 1_000_000L;
            case 'u' -> amount * 1_000L;
            case 'n' -> amount;
            default -> -1;
        };
    }

    /**
     * The gRPC status of a reply the proxy made with {@code httpStatus}: Envoy's mapping (400 INTERNAL, 401
     * UNAUTHENTICATED, 403 PERMISSION_DENIED, 404 UNIMPLEMENTED, 429/502/503/504 UNAVAILABLE, else UNKNOWN), except a
     * route timeout (flag UT), which is DEADLINE_EXCEEDED, as newer Envoys answer it.
     */
    static int status(int httpStatus, String flags) {
        if ("UT".equals(flags)) {
            return 4;
        }
        return switch (httpStatus) {
            case 400 -> 13;
            case 401 -> 16;
            case 403 -> 7;
            case 404 -> 12;
            case 429, 502, 503, 504 -> 14;
            default -> 2;
        };
    }
}
