package dev.windlass.discovery.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.windlass.injector.InjectorJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * HTTPS on 15017 (the JDK's HttpsServer): {@code POST /inject} (or {@code /inject/tag/<tag>}) and
 * {@code POST /validate} with an AdmissionReview. Each request runs on its own virtual thread, since the apiserver
 * calls in parallel and a slow namespace lookup must not queue the rest. A body that is not an AdmissionReview
 * with a request uid is answered 400.
 */
final class WebhookServer implements AutoCloseable {
    static final String PATH = "/inject";
    static final String VALIDATE_PATH = "/validate";
    /** {@code /inject}, or {@code /inject/tag/<tag>} from a revision tag's webhook. */
    private static final Pattern INJECT_PATH = Pattern.compile("/inject(?:/tag/([a-z0-9]([-a-z0-9]*[a-z0-9])?))?");
    /** The apiserver's request limit is 3 MiB of object; an AdmissionReview carries it once (twice for updates). */
    private static final int MAX_BODY = 8 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
    private final HttpsServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AdmissionHandler handler;
    private final ValidationHandler validation;

    WebhookServer(InetSocketAddress address, SSLContext tls, AdmissionHandler handler, ValidationHandler validation)
            throws IOException {
        this.handler = handler;
        this.validation = validation;
        server = HttpsServer.create(address, 64);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", this::serve);
        server.setExecutor(executor);
    }

    WebhookServer start() {
        server.start();
        return this;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher path = INJECT_PATH.matcher(exchange.getRequestURI().getPath());
            boolean validate = VALIDATE_PATH.equals(exchange.getRequestURI().getPath());
            if (!path.matches() && !validate) {
                reply(exchange, 404, "text/plain", "not found\n");
            } else if (!"POST".equals(exchange.getRequestMethod())) {
                reply(exchange, 405, "text/plain", "only POST\n");
            } else if (validate) {
                validate(exchange);
            } else {
                answer(exchange, Optional.ofNullable(path.group(1)));
            }
        }
    }

    private void answer(HttpExchange exchange, Optional<String> tag) throws IOException {
        Optional<JsonNode> review = review(exchange);
        if (review.isEmpty()) {
            return;
        }
        String answer;
        try {
            answer = InjectorJson.json(handler.handle(review.get(), tag));
        } catch (IllegalArgumentException e) {
            LOG.warn("bad webhook request: {}", e.getMessage());
            reply(exchange, 400, "text/plain", "bad request: " + e.getMessage() + "\n");
            return;
        }
        reply(exchange, 200, "application/json", answer);
    }

    private void validate(HttpExchange exchange) throws IOException {
        Optional<JsonNode> review = review(exchange);
        if (review.isPresent()) {
            ObjectNode answer = validation.handle(review.get());
            // No uid: nothing the apiserver could match the answer to, so not an answer but a bad request.
            int status = answer.path("response").path("uid").asText().isEmpty() ? 400 : 200;
            reply(exchange, status, "application/json", InjectorJson.json(answer));
        }
    }

    /** The body as JSON, or empty once a 413 or 400 has been sent. */
    private static Optional<JsonNode> review(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            reply(exchange, 413, "text/plain", "request too large\n");
            return Optional.empty();
        }
        try {
            return Optional.of(InjectorJson.JSON.readTree(body));
        } catch (IOException e) {
            LOG.warn("bad webhook request: {}", e.getMessage());
            reply(exchange, 400, "text/plain", "bad request: cannot decode AdmissionReview: " + e.getMessage() + "\n");
            return Optional.empty();
        }
    }

    private static void reply(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
