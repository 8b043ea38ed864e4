package dev.windlass.proxy.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP/1.1 server on loopback (the JDK's): answers {@code NAME} as the body, records each request's
 * headers and remote address; {@code /slow} waits a second first, {@code /echo} returns the request body,
 * {@code /status/<code>} answers that status, {@code /sleep/<millis>} waits that long.
 */
public final class TestUpstream implements AutoCloseable {
    /** What one request looked like on arrival. */
    public record Seen(String path, Map<String, String> headers, InetSocketAddress remote, String body) {
    }

    private final String name;
    private final HttpServer server;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    /** Request heads that reached this app, counted before their body is read (a broken body still counts). */
    private final java.util.concurrent.atomic.AtomicInteger arrivals = new java.util.concurrent.atomic.AtomicInteger();
    /** When not 0, every request is answered with this status, whatever its path: a faulty endpoint. */
    private volatile int forcedStatus;

    public TestUpstream(String name) throws IOException {
        this(name, "127.0.0.1", 0);
    }

    public TestUpstream(String name, String host, int port) throws IOException {
        this.name = name;
        server = HttpServer.create(new InetSocketAddress(host, port), 64);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        arrivals.incrementAndGet();
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((key, values) -> headers.put(key, String.join(",", values)));
        String path = exchange.getRequestURI().toString();
        seen.add(new Seen(path, headers, exchange.getRemoteAddress(), body));
        if (path.startsWith("/slow")) {
            sleep(1000);
        }
        if (path.startsWith("/sleep/")) {
            sleep(Long.parseLong(path.substring("/sleep/".length()).split("[/?]")[0]));
        }
        int status = forcedStatus != 0 ? forcedStatus : path.startsWith("/status/") ? Integer.parseInt(path.substring("/status/".length()).split("[/?]")[0]) : 200;
        byte[] reply = (path.startsWith("/echo") ? body : name).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("x-upstream", name);
        exchange.sendResponseHeaders(status, reply.length);
        exchange.getResponseBody().write(reply);
        exchange.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Answers every request with {@code status} from now on (0: as the path says again). */
    public void answerAll(int status) {
        forcedStatus = status;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String address() {
        return "127.0.0.1:" + port();
    }

    /** Request heads that arrived, whether or not their body was complete. */
    public int arrivals() {
        return arrivals.get();
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
