package dev.windlass.discovery.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A tiny HTTP server on the JDK's built-in one: a few GET paths, plain answers. Enough for probes, debug pages
 * and a Prometheus scrape, without a web framework to start.
 */
public final class HttpEndpoints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoints.class);

    /** What a path answers. */
    public record Response(int status, String contentType, String body) {
        static Response text(int status, String body) {
            return new Response(status, "text/plain; charset=utf-8", body);
        }

        static Response json(int status, String body) {
            return new Response(status, "application/json", body);
        }
    }

    /** A path's handler: the query parameters in, the response out. */
    public interface Handler {
        Response handle(Map<String, String> query);
    }

    private final HttpServer server;
    private final ExecutorService executor;

    public HttpEndpoints(InetSocketAddress address, String threadName, Map<String, Handler> handlers) throws IOException {
        server = HttpServer.create(address, 16);
        handlers.forEach((path, handler) -> server.createContext(path, exchange -> serve(exchange, path, handler)));
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
    }

    public HttpEndpoints start() {
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void serve(HttpExchange exchange, String path, Handler handler) throws IOException {
        Response response;
        if (!exchange.getRequestURI().getPath().equals(path)) {
            response = Response.text(404, "not found\n"); // contexts match by prefix; we want exact paths
        } else if (!"GET".equals(exchange.getRequestMethod())) {
            response = Response.text(405, "only GET\n");
        } else {
            try {
                response = handler.handle(Query.parse(exchange.getRequestURI().getRawQuery()));
            } catch (RuntimeException e) {
                LOG.error("{} failed", path, e);
                response = Response.text(500, e + "\n");
            }
        }
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        exchange.sendResponseHeaders(response.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
