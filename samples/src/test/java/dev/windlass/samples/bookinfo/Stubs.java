package dev.windlass.samples.bookinfo;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** Servers on loopback for the Bookinfo tests: real roles, and stub upstreams that record what reached them. */
final class Stubs implements AutoCloseable {
    private final List<HttpServer> servers = new ArrayList<>();

    /** A stub's answer to its n-th request (1-based): a status, a body, and a delay before answering. */
    record Answer(int status, String body, long delayMillis) {
    }

    /** A stub upstream: answers as told, and keeps each request's headers and protocol. */
    static final class Stub {
        final AtomicInteger calls = new AtomicInteger();
        final List<Headers> headers = new CopyOnWriteArrayList<>();
        final List<String> protocols = new CopyOnWriteArrayList<>();
        String url;
    }

    Stub stub(IntFunction<Answer> answers) throws IOException {
        Stub stub = new Stub();
        HttpServer server = Http.server(0);
        server.createContext("/", exchange -> answer(exchange, stub, answers));
        server.start();
        servers.add(server);
        stub.url = url(server);
        return stub;
    }

    private static void answer(HttpExchange exchange, Stub stub, IntFunction<Answer> answers) throws IOException {
        try (exchange) {
            Answer answer = answers.apply(stub.calls.incrementAndGet());
            stub.headers.add(exchange.getRequestHeaders());
            stub.protocols.add(exchange.getProtocol());
            try {
                Thread.sleep(answer.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Http.reply(exchange, answer.status(), "application/json", answer.body());
        } catch (IOException e) {
            // The caller gave up (timed out) and closed the connection.
        }
    }

    String role(String role, Environment env) throws IOException {
        HttpServer server = Bookinfo.start(Role.named(role, env), 0);
        servers.add(server);
        return url(server);
    }

    static Environment env(String role, String version, String details, String reviews, String ratings) {
        return new Environment(version, role + "-" + version + "-pod", details, reviews, ratings);
    }

    static HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String url(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        servers.forEach(s -> s.stop(0));
    }
}
