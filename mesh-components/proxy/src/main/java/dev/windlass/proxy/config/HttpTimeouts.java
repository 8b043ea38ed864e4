package dev.windlass.proxy.config;

import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;

import java.util.Set;

/**
 * The downstream timeouts of an HttpConnectionManager, in nanoseconds, 0 meaning none (Envoy's 0 disables each):
 * {@code request_headers_timeout} (from a request's first byte to the end of its head), {@code request_timeout}
 * (from its start until it is received whole or its response starts), {@code stream_idle_timeout} (no bytes
 * either way on a request in flight) and {@code common_http_protocol_options.idle_timeout} (a connection without
 * a request in flight). Unset fields take Envoy's defaults, except request_headers_timeout, which Envoy leaves off
 * and Windlass sets to {@link #DEFAULT_REQUEST_HEADERS_NANOS} against slowloris clients. The other fields of
 * common_http_protocol_options are refused, not ignored.
 */
public record HttpTimeouts(long requestHeadersNanos, long requestNanos, long streamIdleNanos, long connectionIdleNanos) {
    /**
     * 10 s for a request head, a few KiB: generous for any real client, even on a slow mobile link, and it bounds
     * how long a slowloris client holds a connection (nginx's client_header_timeout is 60 s, Apache's first 20 s).
     */
    public static final long DEFAULT_REQUEST_HEADERS_NANOS = 10_000_000_000L;
    /** Envoy's default stream_idle_timeout: 5 minutes. */
    public static final long DEFAULT_STREAM_IDLE_NANOS = 300_000_000_000L;
    /** Envoy's default idle_timeout of a downstream connection: 1 hour. */
    public static final long DEFAULT_CONNECTION_IDLE_NANOS = 3_600_000_000_000L;
    public static final HttpTimeouts DEFAULT = new HttpTimeouts(DEFAULT_REQUEST_HEADERS_NANOS, 0,
            DEFAULT_STREAM_IDLE_NANOS, DEFAULT_CONNECTION_IDLE_NANOS);

    private static final long MAX_SECONDS = 10L * 365 * 24 * 3600;
    private static final Set<String> COMMON_IMPLEMENTED = Set.of("idle_timeout");

    static HttpTimeouts of(String where, HttpConnectionManager hcm) throws InvalidConfigException {
        HttpProtocolOptions common = hcm.getCommonHttpProtocolOptions();
        ProtoFields.only(common, where + " common_http_protocol_options", COMMON_IMPLEMENTED);
        return new HttpTimeouts(
                nanos(where, "request_headers_timeout", hcm.hasRequestHeadersTimeout(), hcm.getRequestHeadersTimeout(),
                        DEFAULT_REQUEST_HEADERS_NANOS),
                nanos(where, "request_timeout", hcm.hasRequestTimeout(), hcm.getRequestTimeout(), 0),
                nanos(where, "stream_idle_timeout", hcm.hasStreamIdleTimeout(), hcm.getStreamIdleTimeout(),
                        DEFAULT_STREAM_IDLE_NANOS),
                nanos(where, "common_http_protocol_options.idle_timeout", common.hasIdleTimeout(),
                        common.getIdleTimeout(), DEFAULT_CONNECTION_IDLE_NANOS));
    }

    /** A protobuf Duration as nanoseconds; a negative or malformed one is refused with its path. */
    private static long nanos(String where, String field, boolean set, Duration duration, long absent)
            throws InvalidConfigException {
        if (!set) {
            return absent;
        }
        long seconds = duration.getSeconds();
        int nanos = duration.getNanos();
        if (seconds < 0 || nanos < 0 || nanos > 999_999_999) {
            throw new InvalidConfigException(where + ": HttpConnectionManager." + field
                    + " must be a duration of 0 or more, not " + seconds + "s " + nanos + "ns");
        }
        // Longer than ten years is as good as never, and keeps deadlines (now + timeout) from overflowing.
        return Math.min(seconds, MAX_SECONDS) * 1_000_000_000L + nanos;
    }
}
