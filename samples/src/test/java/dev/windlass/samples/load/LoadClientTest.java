package dev.windlass.samples.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.windlass.samples.httpbin.Httpbin;
import dev.windlass.samples.tcpecho.TcpEcho;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The load client against loopback servers: fortio's output, and one kept-alive TCP connection per -c. */
class LoadClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void sendsOverKeptAliveConnectionsAndPrintsFortiosCodeLines() throws Exception {
        try (RawServer server = new RawServer(n -> RawServer.response(n % 4 == 0 ? 503 : 200, "ok", "x-version: v" + (n % 2 + 1)))) {
            Run run = load("-c", "2", "-n", "20", "-qps", "0", "-loglevel", "Warning", "-count-header", "x-version",
                    "-H", "end-user: jason", server.url("/get"));

            assertThat(run.code).isZero();
            assertThat(server.connections).as("one TCP connection per -c").hasValue(2);
            assertThat(server.heads).hasSize(20).allSatisfy(head -> assertThat(head)
                    .startsWith("GET /get HTTP/1.1\n").contains("Host: 127.0.0.1:", "end-user: jason"));
            assertThat(run.lines()).contains("Code 200 : 15 (75.0 %)", "Code 503 : 5 (25.0 %)",
                    "Sockets used: 2 (for perfect keepalive, would be 2)", "Header x-version v1 : 10", "Header x-version v2 : 10");
            JsonNode summary = JSON.readTree(run.lines().getLast());
            assertThat(summary.at("/codes/200").asInt()).isEqualTo(15);
            assertThat(summary.at("/codes/503").asInt()).isEqualTo(5);
            assertThat(summary.at("/connections").asInt()).isEqualTo(2);
            assertThat(summary.at("/requests").asInt()).isEqualTo(20);
            assertThat(summary.at("/headers/x-version/v1").asInt()).isEqualTo(10);
        }
    }

    @Test
    void aConnectionTheServerClosesIsOpenedAgain() throws Exception {
        try (RawServer server = new RawServer(n -> RawServer.response(503, "overflow", "Connection: close"))) {
            Run run = load("-c", "1", "-n", "5", server.url("/"));
            assertThat(server.connections).hasValue(5);
            assertThat(run.lines()).contains("Code 503 : 5 (100.0 %)", "Sockets used: 5 (for perfect keepalive, would be 1)");
        }
    }

    @Test
    void noAnswerCountsAsCodeMinusOne() throws Exception {
        Run run = load("-n", "3", "-timeout", "1s", "http://127.0.0.1:1/");
        assertThat(run.lines()).contains("Code  -1 : 3 (100.0 %)");
        assertThat(JSON.readTree(run.lines().getLast()).at("/codes/-1").asInt()).isEqualTo(3);
    }

    @Test
    void againstHttpbinTallyingItsVersionHeader() throws Exception {
        HttpServer httpbin = Httpbin.start("v1", 0, new PrintStream(new ByteArrayOutputStream()));
        try {
            String base = "http://127.0.0.1:" + httpbin.getAddress().getPort();
            Run run = load("-c", "3", "-n", "30", "-count-header", "x-version", base + "/get");
            assertThat(run.lines()).contains("Code 200 : 30 (100.0 %)", "Header x-version v1 : 30");
            Run curl = load("curl", "-H", "x-a: b", base + "/headers");
            assertThat(curl.code).isZero();
            assertThat(curl.out).startsWith("HTTP/1.1 200\n").contains("x-version: v1", "\"X-A\":\"b\"");
        } finally {
            httpbin.stop(0);
        }
    }

    @Test
    void qpsPacesTheRequests() throws Exception {
        try (RawServer server = new RawServer(n -> RawServer.response(200, ""))) {
            long start = System.nanoTime();
            load("-c", "2", "-n", "10", "-qps", "20", server.url("/"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(350));
        }
    }

    @Test
    void aDurationRunSendsWhatTheQpsAllowsInIt() throws Exception {
        try (RawServer server = new RawServer(n -> RawServer.response(200, ""))) {
            Run run = load("-c", "2", "-t", "500ms", "-qps", "20", server.url("/"));
            assertThat(run.lines()).as("2 connections x 5 requests 100 ms apart").contains("Code 200 : 10 (100.0 %)");
        }
    }

    @Test
    void tcpModeTalliesTheRepliesFirstWords() throws Exception {
        try (TcpEcho echo = TcpEcho.start("one", List.of(0), new PrintStream(new ByteArrayOutputStream()))) {
            Run run = load("tcp", "-n", "12", "127.0.0.1:" + echo.ports().getFirst(), "hello", "world");
            assertThat(run.code).isZero();
            assertThat(run.lines()).contains("one: 12");
            JsonNode summary = JSON.readTree(run.lines().getLast());
            assertThat(summary.at("/replies/one").asInt()).isEqualTo(12);
            assertThat(summary.at("/connections").asInt()).isEqualTo(12);
        }
        assertThat(load("tcp", "-n", "2", "-timeout", "500ms", "127.0.0.1:1").lines()).contains("(error): 2");
    }

    @Test
    void badUsageExitsTwo() {
        assertThat(load().code).isEqualTo(2);
        assertThat(load("-bogus", "1", "http://x/").code).isEqualTo(2);
        assertThat(load("-c", "0", "http://x/").code).isEqualTo(2);
        assertThat(load("-H", "no colon", "http://x/").code).isEqualTo(2);
        assertThat(load("ftp://x/").code).isEqualTo(2);
        assertThat(load("-h").code).isZero();
    }

    @Test
    void durationsAsFortioWritesThem() {
        assertThat(LoadOptions.duration("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(LoadOptions.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(LoadOptions.duration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(LoadOptions.duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(LoadOptions.duration("3")).isEqualTo(Duration.ofSeconds(3));
        LoadOptions options = LoadOptions.parse(List.of("-c=3", "--qps", "5", "-quiet", "http://h/"));
        assertThat(options.connections()).isEqualTo(3);
        assertThat(options.qps()).isEqualTo(5);
        assertThat(options.duration()).as("fortio's default run time").isEqualTo(Duration.ofSeconds(5));
        assertThat(options.positional()).containsExactly("http://h/");
    }

    private record Run(int code, String out) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private static Run load(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = LoadClient.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        return new Run(code, out.toString(StandardCharsets.UTF_8));
    }
}
