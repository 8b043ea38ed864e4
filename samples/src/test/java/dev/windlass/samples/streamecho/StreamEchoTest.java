package dev.windlass.samples.streamecho;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.samples.load.LoadClient;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stream-echo server and the load client's ws and grpc modes on loopback: both streams at once for 3 s with
 * every echo back in order, and a server that drops one message, which the client reports lost and exits 1 for.
 */
class StreamEchoTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @Test
    void aWebSocketAndAGrpcStreamEchoEveryMessageInOrderForThreeSecondsAtOnce() throws Exception {
        try (StreamEcho echo = StreamEcho.start(0, 0, DropRule.NONE, QUIET)) {
            CompletableFuture<Run> ws = CompletableFuture.supplyAsync(() -> load("ws", "-t", "3s", websocket(echo)));
            CompletableFuture<Run> grpc = CompletableFuture.supplyAsync(() -> load("grpc", "-t", "3s", "127.0.0.1:" + echo.grpcPort()));
            for (Run run : List.of(ws.get(), grpc.get())) {
                assertThat(run.code).as(run.out).isZero();
                assertThat(run.summary.path("sent").asLong()).as("10 a second for 3 s").isBetween(29L, 30L);
                assertThat(run.summary.path("received").asLong()).isEqualTo(run.summary.path("sent").asLong());
                assertThat(run.summary.path("lost").asLong()).isZero();
                assertThat(run.summary.path("outOfOrder").asLong()).isZero();
                assertThat(run.summary.path("seconds").asDouble()).isBetween(2.8, 3.2);
                assertThat(run.summary.has("error")).as(run.out).isFalse();
            }
        }
    }

    @Test
    void aDroppedMessageIsReportedLostAndTheClientExitsOne() throws Exception {
        try (StreamEcho echo = StreamEcho.start(0, 0, new DropRule(4), QUIET)) {
            for (Run run : List.of(load("ws", "-n", "10", "-qps", "100", "-timeout", "1s", websocket(echo)),
                    load("grpc", "-n", "10", "-qps", "100", "-timeout", "1s", "127.0.0.1:" + echo.grpcPort()))) {
                assertThat(run.code).as(run.out).isEqualTo(1);
                assertThat(run.summary.path("sent").asLong()).isEqualTo(10);
                assertThat(run.summary.path("received").asLong()).isEqualTo(9);
                assertThat(run.summary.path("lost").asLong()).isEqualTo(1);
                assertThat(run.summary.path("outOfOrder").asLong()).isZero();
                assertThat(run.summary.has("error")).as("the stream itself ended cleanly: " + run.out).isFalse();
            }
        }
    }

    @Test
    void anUnreachableServerLosesEverythingAndSaysWhy() throws Exception {
        for (Run run : List.of(load("ws", "-n", "3", "-timeout", "1s", "ws://127.0.0.1:1/ws"),
                load("grpc", "-n", "3", "-timeout", "1s", "127.0.0.1:1"))) {
            assertThat(run.code).as(run.out).isEqualTo(1);
            assertThat(run.summary.path("received").asLong()).isZero();
            assertThat(run.summary.path("error").asText()).as(run.out).isNotEmpty();
        }
    }

    @Test
    void theWebSocketPortAnswersTheReadinessProbe() throws Exception {
        try (StreamEcho echo = StreamEcho.start(0, 0, DropRule.NONE, QUIET); HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + echo.wsPort() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
        }
    }

    private static String websocket(StreamEcho echo) {
        return "ws://127.0.0.1:" + echo.wsPort() + EchoProtocol.WEBSOCKET_PATH;
    }

    private record Run(int code, String out, JsonNode summary) {
    }

    private static Run load(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = LoadClient.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), QUIET);
        String text = out.toString(StandardCharsets.UTF_8);
        try {
            return new Run(code, text, JSON.readTree(text.lines().reduce((a, b) -> b).orElse("{}")));
        } catch (Exception e) {
            throw new AssertionError("no JSON summary in: " + text, e);
        }
    }
}
