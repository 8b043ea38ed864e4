package dev.windlass.proxy.http;

import dev.windlass.proxy.NodeIdentity;
import dev.windlass.proxy.ProxyContext;
import dev.windlass.proxy.ProxyOptions;
import dev.windlass.proxy.net.Direction;
import dev.windlass.proxy.telemetry.RequestLabels;

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
                orUnknown(exchange.destinationService), exchange.status,
                exchange.peer == null ? "unknown" : exchange.peer.id().uri(),
                !inbound ? "unknown" : exchange.peer == null ? "none" : "mutual_tls");
        double millis = exchange.durationMillis();
        ctx.metrics().record(labels, millis);
        ProxyOptions.Logging logging = ctx.options().logging();
        String path = accessLogPath != null ? accessLogPath : logging.accessLogFile().isEmpty() ? null : logging.accessLogFile();
        if (path != null) {
            ctx.accessLog().log(path, AccessLogLine.of(logging.accessLogEncoding(), exchange, (long) millis));
        }
    }

    private static String orUnknown(String value) {
        return value == null || value.isEmpty() ? "unknown" : value;
    }
}
