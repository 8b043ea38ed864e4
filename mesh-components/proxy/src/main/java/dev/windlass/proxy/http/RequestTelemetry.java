package dev.windlass.proxy.http;

import dev.windlass.proxy.NodeIdentity;
import dev.windlass.proxy.ProxyContext;
import dev.windlass.proxy.net.Direction;
import dev.windlass.proxy.telemetry.RequestLabels;

import java.time.Instant;

/** What a finished exchange leaves behind: its metrics, and an access log line when one is asked for. */
final class RequestTelemetry {
    private RequestTelemetry() {
    }

    static void finish(ProxyContext ctx, Direction direction, Exchange exchange, String accessLogPath) {
        NodeIdentity self = ctx.options().identity();
        boolean inbound = direction == Direction.INBOUND;
        RequestLabels labels = new RequestLabels(direction.reporter(),
                orUnknown(exchange.sourceWorkload), orUnknown(exchange.sourceNamespace),
                inbound ? self.workload() : orUnknown(exchange.destinationWorkload),
                inbound ? self.namespace() : orUnknown(exchange.destinationNamespace),
                orUnknown(exchange.destinationService), exchange.status);
        double millis = exchange.durationMillis();
        ctx.metrics().record(labels, millis);
        String path = accessLogPath != null ? accessLogPath
                : ctx.options().accessLogFile().isEmpty() ? null : ctx.options().accessLogFile();
        if (path != null) {
            ctx.accessLog().log(path, line(exchange, (long) millis));
        }
    }

    /** Envoy's default access log format, field for field. */
    static String line(Exchange e, long millis) {
        return "[" + Instant.now().minusMillis(millis) + "] \"" + e.method + " " + e.path + " " + e.protocol + "\" "
                + e.status + " " + e.flags + " " + e.bytesReceived + " " + e.bytesSent + " " + millis + " "
                + (e.serviceTimeMillis < 0 ? "-" : e.serviceTimeMillis) + " \"" + e.forwardedFor + "\" \""
                + e.userAgent + "\" \"" + dash(e.requestId) + "\" \"" + dash(e.authority) + "\" \"" + e.upstreamHost()
                + "\" " + e.cluster;
    }

    private static String orUnknown(String value) {
        return value == null || value.isEmpty() ? "unknown" : value;
    }

    private static String dash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }
}
