package dev.windlass.samples.bookinfo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/** What the samples' HTTP servers share: a server on a port, a reply, a request body and a query string. */
public final class Http {
    /** Request bodies beyond this are cut: the samples only echo or read small forms. */
    private static final int MAX_BODY = 1 << 20;

    private Http() {
    }

    /** The port from env PORT, or the role's default. */
    public static int port(int fallback) {
        String port = System.getenv("PORT");
        return port == null || port.isBlank() ? fallback : Integer.parseInt(port.strip());
    }

    /** An unstarted server on {@code port} (0 picks a free one), one virtual thread per exchange. */
    public static HttpServer server(int port) throws IOException {
        return server(port, null);
    }

    /** As above, serving HTTPS with {@code tls} when it is not null (the app terminates TLS itself). */
    public static HttpServer server(int port, SSLContext tls) throws IOException {
        HttpServer server;
        if (tls == null) {
            server = HttpServer.create(new InetSocketAddress(port), 128);
        } else {
            HttpsServer https = HttpsServer.create(new InetSocketAddress(port), 128);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        return server;
    }

    public static void reply(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        reply(exchange, status, contentType, body, Map.of());
    }

    public static void reply(HttpExchange exchange, int status, String contentType, String body, Map<String, String> headers)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        if (contentType != null) {
            exchange.getResponseHeaders().set("content-type", contentType);
        }
        boolean empty = bytes.length == 0 || exchange.getRequestMethod().equals("HEAD");
        // -1: no body at all, which the server needs for 204, 304 and HEAD.
        exchange.sendResponseHeaders(status, empty ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!empty) {
                out.write(bytes);
            }
        }
    }

    public static String body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
        }
    }

    /** A query string or form body as name → values, in order; null or blank gives an empty map. */
    public static Map<String, List<String>> form(String encoded) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (encoded == null || encoded.isBlank()) {
            return params;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
