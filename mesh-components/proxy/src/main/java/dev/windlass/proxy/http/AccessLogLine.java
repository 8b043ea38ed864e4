package dev.windlass.proxy.http;

import dev.windlass.proxy.JsonText;
import dev.windlass.proxy.ProxyOptions.AccessLogEncoding;

import java.time.Instant;

/** One access log line of a finished exchange, as meshConfig.accessLogEncoding asks. */
final class AccessLogLine {
    private AccessLogLine() {
    }

    static String of(AccessLogEncoding encoding, Exchange e, long millis) {
        Instant start = Instant.now().minusMillis(millis);
        return encoding == AccessLogEncoding.JSON ? json(e, millis, start) : text(e, millis, start);
    }

    /** Envoy's default access log format, field for field. */
    static String text(Exchange e, long millis, Instant start) {
        return "[" + start + "] \"" + e.method + " " + e.path + " " + e.protocol + "\" "
                + e.status + " " + e.flags + " " + e.bytesReceived + " " + e.bytesSent + " " + millis + " "
                + (e.serviceTimeMillis < 0 ? "-" : e.serviceTimeMillis) + " \"" + e.forwardedFor + "\" \""
                + e.userAgent + "\" \"" + dash(e.requestId) + "\" \"" + dash(e.authority) + "\" \"" + e.upstreamHost()
                + "\" " + e.cluster;
    }

    /**
     * The same fields under the keys of Istio's default JSON access log, numbers as numbers and Envoy's "-" as null,
     * as Envoy's JSON formatter writes them. Istio's keys Windlass has no value for (route_name, the addresses, the
     * transport failure reason) are left out rather than always null.
     */
    static String json(Exchange e, long millis, Instant start) {
        return "{\"start_time\":\"" + start + "\",\"method\":" + JsonText.quote(e.method) + ",\"path\":" + JsonText.quote(e.path)
                + ",\"protocol\":" + JsonText.quote(e.protocol) + ",\"response_code\":" + e.status
                + ",\"response_flags\":" + orNull(e.flags) + ",\"bytes_received\":" + e.bytesReceived
                + ",\"bytes_sent\":" + e.bytesSent + ",\"duration\":" + millis
                + ",\"upstream_service_time\":" + (e.serviceTimeMillis < 0 ? "null" : String.valueOf(e.serviceTimeMillis))
                + ",\"x_forwarded_for\":" + orNull(e.forwardedFor) + ",\"user_agent\":" + orNull(e.userAgent)
                + ",\"request_id\":" + orNull(e.requestId) + ",\"authority\":" + orNull(e.authority)
                + ",\"upstream_host\":" + orNull(e.upstreamHost()) + ",\"upstream_cluster\":" + orNull(e.cluster) + "}";
    }

    private static String orNull(String value) {
        return value == null || value.isEmpty() || value.equals("-") ? "null" : JsonText.quote(value);
    }

    private static String dash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }
}
