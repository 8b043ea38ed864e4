package dev.windlass.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Probes and metrics on one port. Liveness is the process answering; readiness means the controller has
 * started and every informer is healthy (a standby replica waiting for the leader lease is not ready, so
 * that {@code kubectl rollout status} shows which one works).
 */
final class OperatorHttpServer {
    private final HttpServer server;

    private OperatorHttpServer(HttpServer server) {
        this.server = server;
    }

    static OperatorHttpServer start(int port, Supplier<RuntimeInfo> runtime, PrometheusMeterRegistry metrics) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/healthz", exchange -> respond(exchange, 200, "ok\n"));
        server.createContext("/readyz", exchange -> {
            RuntimeInfo info = runtime.get();
            boolean ready = info != null && info.isStarted() && info.allEventSourcesAreHealthy();
            respond(exchange, ready ? 200 : 503, ready ? "ready\n" : "not ready: " + (info == null ? "starting"
                    : info.isStarted() ? info.unhealthyEventSources().keySet() + " unhealthy" : "waiting to lead") + "\n");
        });
        server.createContext("/metrics", exchange -> respond(exchange, 200, metrics.scrape()));
        server.start();
        return new OperatorHttpServer(server);
    }

    void stop() {
        server.stop(0);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
