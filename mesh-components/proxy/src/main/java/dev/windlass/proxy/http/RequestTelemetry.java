package dev.windlass.proxy.http;

import dev.windlass.proxy.NodeIdentity;
import dev.windlass.proxy.ProxyContext;
import dev.windlass.proxy.ProxyOptions;
import dev.windlass.proxy.net.Direction;
import dev.windlass.proxy.telemetry.ProxyStats;
import dev.windlass.proxy.telemetry.RequestLabels;

/** What a finished exchange leaves behind: its metrics, and an access log line when one is asked for. */
final class RequestTelemetry {
    private RequestTelemetry() {
    }

    /** A request decoded: Envoy's downstream_rq_total and _active, and the direction's own total. */
    static void started(ProxyContext ctx, Direction direction) {
        ctx.stats().increment(ProxyStats.Stat.DOWNSTREAM_RQ_TOTAL);
        ctx.stats().increment(ProxyStats.Stat.DOWNSTREAM_RQ_ACTIVE);
        ctx.stats().increment(direction == Direction.INBOUND ? ProxyStats.Stat.INBOUND_RQ_TOTAL : ProxyStats.Stat.OUTBOUND_RQ_TOTAL);
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
