package dev.windlass.samples.httpbin;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsExchange;
import dev.windlass.samples.bookinfo.Http;
import dev.windlass.samples.bookinfo.Json;
import dev.windlass.samples.bookinfo.Tls;

import javax.net.ssl.SSLContext;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An httpbin-like server, standing in for Istio's httpbin sample: /get, /headers, /ip, /anything, /status/CODE,
 * /delay/SECONDS. Every answer carries x-version (env VERSION), every request is counted (GET /stats/requests) and
 * logged with its Host and TCP peer, so that a mirroring test can see the copies (Host: httpbin-shadow...) reach v2
 * and an egress test who connected. With {@code TLS_KEYSTORE} it serves HTTPS, as an external server would. With
 * {@code FAIL_STATUS} (e.g. 500) every counted request is answered with that status: a faulty endpoint, for
 * outlier detection, while /health stays ready.
 */
public final class Httpbin {
    private static final String JSON = "application/json";
    private static final double MAX_DELAY_SECONDS = 10;

    private final String version;
    private final PrintStream log;
    private final int failStatus;
    private final AtomicLong requests = new AtomicLong();

    Httpbin(String version, PrintStream log, int failStatus) {
        this.version = version;
        this.log = log;
        this.failStatus = failStatus;
    }

    public static void main(String[] args) throws IOException {
        String version = System.getenv().getOrDefault("VERSION", "v1");
        int port = Http.port(8080);
        SSLContext tls = Tls.serverFromEnv();
        int failStatus = Integer.parseInt(System.getenv().getOrDefault("FAIL_STATUS", "0"));
        start(version, port, System.out, tls, failStatus);
        System.out.printf("httpbin %s listening on %d%s%n", version, port, tls == null ? "" : " (HTTPS)");
    }

    /** Serves on {@code port} (0 picks a free one), logging each request to {@code log}. */
    public static HttpServer start(String version, int port, PrintStream log) throws IOException {
        return start(version, port, log, null);
    }

    /** As above, over HTTPS with {@code tls} when it is not null: an external server that terminates TLS itself. */
    public static HttpServer start(String version, int port, PrintStream log, SSLContext tls) throws IOException {
        return start(version, port, log, tls, 0);
    }

    /** As above, answering every counted request with {@code failStatus} unless it is 0. */
    public static HttpServer start(String version, int port, PrintStream log, SSLContext tls, int failStatus)
            throws IOException {
        Httpbin httpbin = new Httpbin(version, log, failStatus);
        HttpServer server = Http.server(port, tls);
        server.createContext("/", httpbin::serve);
        server.start();
        return server;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            exchange.getResponseHeaders().set("x-version", version);
            // Probes and the counter's own readers are not traffic: they would blur the counts a test compares.
            if (!path.startsWith("/stats/") && !path.equals("/health")) {
                requests.incrementAndGet();
                log.printf("httpbin %s %s %s Host: %s from %s%n", version, exchange.getRequestMethod(), exchange.getRequestURI(),
                        exchange.getRequestHeaders().getFirst("Host"), exchange.getRemoteAddress().getAddress().getHostAddress());
            }
            if (failStatus != 0 && !path.startsWith("/stats/") && !path.equals("/health")) {
                Http.reply(exchange, failStatus, JSON, "{\"error\":\"FAIL_STATUS\"}\n");
                return;
            }
            route(exchange, path);
        } catch (RuntimeException e) {
            Http.reply(exchange, 500, JSON, "{\"error\":" + Json.string(String.valueOf(e)) + "}\n");
        }
    }

    private void route(HttpExchange exchange, String path) throws IOException {
        String[] parts = path.split("/", 3);
        String first = parts.length > 1 ? parts[1] : "";
        String rest = parts.length > 2 ? parts[2] : "";
        switch (first) {
            case "get" -> ok(exchange, request(exchange, false));
            case "headers" -> ok(exchange, Map.of("headers", headers(exchange.getRequestHeaders())));
            case "ip" -> ok(exchange, Map.of("origin", origin(exchange)));
            case "anything" -> ok(exchange, request(exchange, true));
            case "status" -> status(exchange, rest);
            case "delay" -> delay(exchange, rest);
            case "stats" -> stats(exchange, rest);
            case "health" -> ok(exchange, Map.of("status", "ok"));
            case "" -> Http.reply(exchange, 200, "text/plain", "httpbin " + version + ": try /get, /headers, /ip, /anything,"
                    + " /status/CODE, /delay/SECONDS, /stats/requests\n");
            default -> Http.reply(exchange, 404, JSON, "{\"error\":\"not found\"}\n");
        }
    }

    /** /get's and /anything's answer: the request as httpbin describes it. */
    private Map<String, Object> request(HttpExchange exchange, boolean echo) throws IOException {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("args", args(exchange.getRequestURI().getRawQuery()));
        if (echo) {
            answer.put("data", Http.body(exchange));
            answer.put("method", exchange.getRequestMethod());
        }
        answer.put("headers", headers(exchange.getRequestHeaders()));
        answer.put("origin", origin(exchange));
        answer.put("url", url(exchange));
        answer.put("version", version);
        return answer;
    }

    private void status(HttpExchange exchange, String codes) throws IOException {
        // As httpbin: "/status/200,503" answers one of the codes, chosen at random.
        String[] choices = codes.split(",");
        String choice = choices[ThreadLocalRandom.current().nextInt(choices.length)].strip();
        int code;
        try {
            code = Integer.parseInt(choice);
        } catch (NumberFormatException e) {
            code = 0;
        }
        if (code < 100 || code > 599) {
            Http.reply(exchange, 400, JSON, "{\"error\":\"invalid status code\"}\n");
            return;
        }
        Http.reply(exchange, code, "text/plain", "");
    }

    private void delay(HttpExchange exchange, String seconds) throws IOException {
        double wait;
        try {
            wait = Math.clamp(Double.parseDouble(seconds), 0, MAX_DELAY_SECONDS);
        } catch (NumberFormatException e) {
            Http.reply(exchange, 400, JSON, "{\"error\":\"invalid delay\"}\n");
            return;
        }
        try {
            Thread.sleep((long) (wait * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ok(exchange, request(exchange, false));
    }

    private void stats(HttpExchange exchange, String what) throws IOException {
        switch (what) {
            case "requests" -> ok(exchange, Map.of("requests", requests.get()));
            case "reset" -> {
                requests.set(0);
                ok(exchange, Map.of("requests", 0));
            }
            default -> Http.reply(exchange, 404, JSON, "{\"error\":\"try /stats/requests or /stats/reset\"}\n");
        }
    }

    private static void ok(HttpExchange exchange, Map<String, ?> answer) throws IOException {
        Http.reply(exchange, 200, JSON, Json.write(answer) + "\n");
    }

    /** Request headers under httpbin's canonical names (X-Request-Id), repeated values joined with commas. */
    static Map<String, String> headers(Headers headers) {
        Map<String, String> canonical = new TreeMap<>();
        headers.forEach((name, values) -> canonical.put(canonical(name), String.join(",", values)));
        return canonical;
    }

    static String canonical(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            out.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return out.toString();
    }

    /** Query parameters: a single value as a string, repeated ones as a list, as httpbin shows them. */
    private static Map<String, Object> args(String query) {
        Map<String, Object> args = new LinkedHashMap<>();
        Http.form(query).forEach((name, values) -> args.put(name, values.size() == 1 ? values.getFirst() : List.copyOf(values)));
        return args;
    }

    private static String origin(HttpExchange exchange) {
        String forwarded = exchange.getRequestHeaders().getFirst("X-Forwarded-For");
        return forwarded != null ? forwarded : exchange.getRemoteAddress().getAddress().getHostAddress();
    }

    private static String url(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        String scheme = exchange instanceof HttpsExchange
                || "https".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("X-Forwarded-Proto")) ? "https" : "http";
        return scheme + "://" + (host == null ? "localhost" : host) + exchange.getRequestURI();
    }
}
