package dev.windlass.samples.bookinfo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A Bookinfo-like sample: one small program that plays productpage, details, reviews or ratings, chosen by its
 * first argument. Every response names the service, version and pod that served it, so that a caller can see
 * where the mesh sent a request.
 */
public final class Bookinfo {
    private Bookinfo() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: bookinfo productpage|details|reviews|ratings");
            System.exit(2);
        }
        Role role = Role.named(args[0], Environment.fromSystem());
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "9080"));
        start(role, port);
        System.out.printf("bookinfo %s %s listening on %d%n", args[0], Environment.fromSystem().version(), port);
    }

    /** Starts serving {@code role} on {@code port} (0 picks a free one); returns the server. */
    public static HttpServer start(Role role, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 128);
        server.createContext("/health", exchange -> reply(exchange, 200, "{\"status\":\"ok\"}"));
        server.createContext("/", exchange -> {
            try (exchange) {
                Role.Response response = role.handle(exchange.getRequestURI().getPath(), exchange.getRequestHeaders());
                reply(exchange, response.status(), response.body());
            } catch (RuntimeException e) {
                reply(exchange, 500, "{\"error\":\"" + Json.escape(String.valueOf(e.getMessage())) + "\"}");
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return server;
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
