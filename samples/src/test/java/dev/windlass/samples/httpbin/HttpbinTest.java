package dev.windlass.samples.httpbin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The httpbin role on a loopback socket. */
class HttpbinTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private HttpServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        server = Httpbin.start("v2", 0, new PrintStream(log, true, StandardCharsets.UTF_8));
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void withAFailStatusEveryCountedRequestFailsWhileHealthStaysReady() throws Exception {
        HttpServer faulty = Httpbin.start("v1", 0, new PrintStream(new ByteArrayOutputStream()), null, 500);
        try {
            String at = "http://127.0.0.1:" + faulty.getAddress().getPort();
            assertThat(send(HttpRequest.newBuilder(URI.create(at + "/get"))).statusCode()).isEqualTo(500);
            assertThat(send(HttpRequest.newBuilder(URI.create(at + "/status/200"))).statusCode()).isEqualTo(500);
            assertThat(send(HttpRequest.newBuilder(URI.create(at + "/health"))).statusCode()).isEqualTo(200);
            assertThat(send(HttpRequest.newBuilder(URI.create(at + "/stats/requests"))).body()).contains("\"requests\":2");
        } finally {
            faulty.stop(0);
        }
    }

    @Test
    void getDescribesTheRequestAndNamesTheVersion() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + "/get?a=1&b=2&b=3")).header("x-request-id", "r1"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-version")).hasValue("v2");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.at("/headers/X-Request-Id").asText()).isEqualTo("r1");
        assertThat(body.at("/headers/Host").asText()).isEqualTo("127.0.0.1:" + server.getAddress().getPort());
        assertThat(body.at("/origin").asText()).isEqualTo("127.0.0.1");
        assertThat(body.at("/url").asText()).isEqualTo(base + "/get?a=1&b=2&b=3");
        assertThat(body.at("/args/a").asText()).isEqualTo("1");
        assertThat(body.at("/args/b/1").asText()).isEqualTo("3");
        assertThat(body.at("/version").asText()).isEqualTo("v2");
    }

    @Test
    void headersAreTitleCased() throws Exception {
        JsonNode body = JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/headers"))
                .header("x-b3-sampled", "1").header("END-USER", "jason")).body());
        assertThat(body.get("headers").has("X-B3-Sampled")).isTrue();
        assertThat(body.at("/headers/End-User").asText()).isEqualTo("jason");
        assertThat(Httpbin.canonical("x-envoy-attempt-count")).isEqualTo("X-Envoy-Attempt-Count");
    }

    @Test
    void statusDelayIpAndAnything() throws Exception {
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/status/418"))).statusCode()).isEqualTo(418);
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/status/503"))).statusCode()).isEqualTo(503);
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/status/abc"))).statusCode()).isEqualTo(400);
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/status/200,201"))).statusCode()).isIn(200, 201);

        long start = System.nanoTime();
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/delay/0.3"))).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

        assertThat(JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/ip"))).body()).get("origin").asText()).isEqualTo("127.0.0.1");

        JsonNode anything = JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/anything/x?q=1"))
                .method("PUT", HttpRequest.BodyPublishers.ofString("hello"))).body());
        assertThat(anything.get("method").asText()).isEqualTo("PUT");
        assertThat(anything.get("data").asText()).isEqualTo("hello");
        assertThat(anything.at("/args/q").asText()).isEqualTo("1");
    }

    @Test
    void requestsAreCountedAndLoggedWithTheirHost() throws Exception {
        send(HttpRequest.newBuilder(URI.create(base + "/get")));
        send(HttpRequest.newBuilder(URI.create(base + "/status/500")));
        send(HttpRequest.newBuilder(URI.create(base + "/health")));
        assertThat(JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/stats/requests"))).body()).get("requests").asInt())
                .as("health and stats not counted").isEqualTo(2);
        assertThat(JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/stats/requests"))).body()).get("requests").asInt())
                .isEqualTo(2);

        String lines = log.toString(StandardCharsets.UTF_8);
        assertThat(lines.lines()).hasSize(2);
        assertThat(lines).contains("httpbin v2 GET /get Host: 127.0.0.1:" + server.getAddress().getPort() + " from 127.0.0.1");

        send(HttpRequest.newBuilder(URI.create(base + "/stats/reset")));
        assertThat(JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/stats/requests"))).body()).get("requests").asInt()).isZero();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
