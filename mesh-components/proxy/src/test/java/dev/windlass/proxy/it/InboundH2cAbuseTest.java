package dev.windlass.proxy.it;

import dev.windlass.proxy.Role;
import dev.windlass.proxy.testing.ProxyHarness;
import dev.windlass.proxy.testing.RawH2;
import dev.windlass.proxy.testing.RawHttp;
import dev.windlass.proxy.testing.TestAdsServer;
import dev.windlass.proxy.testing.TestH2cUpstream;
import dev.windlass.proxy.testing.TestMesh;
import dev.windlass.proxy.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The sidecar's h2c inbound against abusive and malformed clients on a raw socket: CVE-2023-44487's rapid reset
 * (HEADERS then RST_STREAM, again and again) ends in GOAWAY ENHANCE_YOUR_CALM and a counted connection, with few
 * requests reaching the app; a corrupt preface is a connection error, not an HTTP/1.1 request.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InboundH2cAbuseTest {
    private static final int PAIRS = 10_000;
    private static final long ENHANCE_YOUR_CALM = 0xb, PROTOCOL_ERROR = 0x1;

    private TestAdsServer ads;
    private TestH2cUpstream app;
    private TestUpstream http1App;
    private ProxyHarness sidecar;
    private InetSocketAddress appPort;

    @BeforeEach
    void start() throws Exception {
        ads = new TestAdsServer();
        app = new TestH2cUpstream("app");
        http1App = new TestUpstream("app-http1");
        sidecar = new ProxyHarness(Role.SIDECAR, ads.address(), Map.of());
        TestMesh.serveInbound(ads, "1", app.port(), http1App.port());
        sidecar.awaitReady(Duration.ofSeconds(10));
        appPort = new InetSocketAddress("10.1.1.1", app.port());
    }

    @AfterEach
    void stop() throws Exception {
        sidecar.close();
        app.close();
        http1App.close();
        ads.close();
    }

    @Test
    void aFloodOfHeadersAndRstStreamEndsInGoAwayEnhanceYourCalm() throws Exception {
        try (Socket socket = sidecar.resolver.connect(sidecar.inbound(), appPort)) {
            CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> flood(socket));
            List<RawH2.Frame> frames = RawH2.readUntilClosed(socket);
            flood.join();

            RawH2.Frame goAway = frames.stream().filter(f -> f.type() == RawH2.GOAWAY).findFirst().orElseThrow();
            assertThat(goAway.errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
            assertThat(new String(goAway.payload(), 8, goAway.payload().length - 8, StandardCharsets.US_ASCII))
                    .as("Netty's reason, in the GOAWAY's debug data").contains("RST frames");
        }
        assertThat(sidecar.admin("/stats")).contains("windlass.downstream_cx_h2_flood: 1");
        // At most the streams opened before the 201st RST_STREAM (the limit is 200 in 30 s) reach the app.
        assertThat(app.requests()).isLessThanOrEqualTo(201);
        // The proxy carries on for well-behaved clients.
        try (Socket socket = sidecar.resolver.connect(sidecar.inbound(), appPort)) {
            RawH2.start(socket);
            socket.getOutputStream().write(RawH2.frame(RawH2.HEADERS, RawH2.END_STREAM | RawH2.END_HEADERS, 1,
                    RawH2.getHeaders("app")));
            assertThat(answer(socket)).isEqualTo("h2c app");
        }
    }

    @Test
    void aBodyLongerThanItsContentLengthIsResetAndNothingIsSmuggledToAnHttp1App() throws Exception {
        InetSocketAddress http1Port = new InetSocketAddress("10.1.1.1", http1App.port());
        try (Socket socket = sidecar.resolver.connect(sidecar.inbound(), http1Port)) {
            RawH2.start(socket);
            // POST with content-length: 5 (HPACK static name 28), then DATA carrying a second HTTP/1.1 request after
            // the five bytes: the h2-to-HTTP/1.1 downgrade would write it to the app as a request of its own.
            byte[] post = RawH2.getHeaders("app");
            post[0] = (byte) 0x83;
            ByteArrayOutputStream headers = new ByteArrayOutputStream();
            headers.writeBytes(post);
            headers.writeBytes(new byte[]{0x40 | 28, 1, '5'});
            socket.getOutputStream().write(RawH2.frame(RawH2.HEADERS, RawH2.END_HEADERS, 1, headers.toByteArray()));
            socket.getOutputStream().write(RawH2.frame(RawH2.DATA, RawH2.END_STREAM, 1,
                    "AAAAAGET /smuggled HTTP/1.1\r\nHost: app\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            assertThat(RawH2.readFor(socket, Duration.ofSeconds(1))).filteredOn(f -> f.type() == RawH2.RST_STREAM)
                    .extracting(RawH2.Frame::streamId, RawH2.Frame::errorCode).containsExactly(tuple(1, PROTOCOL_ERROR));

            socket.getOutputStream().write(RawH2.frame(RawH2.HEADERS, RawH2.END_STREAM | RawH2.END_HEADERS, 3,
                    RawH2.getHeaders("app")));
            assertThat(answer(socket)).isEqualTo("app-http1");
        }
        assertThat(http1App.seen()).extracting(TestUpstream.Seen::path).doesNotContain("/smuggled").endsWith("/");
    }

    @Test
    void aCorruptPrefaceIsAConnectionErrorNotAnHttp1Request() throws Exception {
        try (Socket socket = sidecar.resolver.connect(sidecar.inbound(), appPort)) {
            socket.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n".getBytes());
            List<RawH2.Frame> frames = RawH2.readUntilClosed(socket);
            assertThat(frames).filteredOn(f -> f.type() == RawH2.GOAWAY).singleElement()
                    .extracting(RawH2.Frame::errorCode).isEqualTo(PROTOCOL_ERROR);
        }
        assertThat(app.requests()).isZero();
    }

    @Test
    void aFirstLineWithoutAnyHttpVersionIsClosedUnansweredWhileHttp1StillWorks() throws Exception {
        try (Socket socket = sidecar.resolver.connect(sidecar.inbound(), appPort)) {
            socket.getOutputStream().write("INVALID CONNECTION PREFACE\r\n\r\n".getBytes());
            assertThat(socket.getInputStream().readAllBytes()).isEmpty();
        }
        // Empty lines before an HTTP/1.1 request line are skipped (RFC 9112 §2.2), not taken for a first line.
        try (Socket socket = sidecar.resolver.connect(sidecar.inbound(), appPort)) {
            RawHttp.Response response = RawHttp.send(socket, "\r\n" + RawHttp.get("/", "app", "Connection: close"));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("h2c app");
        }
    }

    @Test
    void aDecompressionBombIsAnswered431WithoutReachingTheAppAndTheConnectionCarriesOn() throws Exception {
        try (Socket socket = sidecar.resolver.connect(sidecar.inbound(), appPort)) {
            RawH2.start(socket);
            // About 4 KiB on the wire that decode to 400 copies of a 4000-byte header: 1.6 MB against a 60 KiB limit.
            socket.getOutputStream().write(RawH2.frame(RawH2.HEADERS, RawH2.END_STREAM | RawH2.END_HEADERS, 1,
                    RawH2.hpackBomb(RawH2.getHeaders("app"), 4000, 400)));
            List<RawH2.Frame> frames = RawH2.readFor(socket, Duration.ofSeconds(1));
            // :status 431 is a literal of three ASCII digits (not in HPACK's static table, not shorter in Huffman).
            assertThat(frames).filteredOn(f -> f.type() == RawH2.HEADERS && f.streamId() == 1).singleElement()
                    .satisfies(f -> assertThat(new String(f.payload(), StandardCharsets.ISO_8859_1)).contains("431"));
            assertThat(frames).filteredOn(f -> f.type() == RawH2.RST_STREAM && f.streamId() == 1)
                    .extracting(RawH2.Frame::errorCode).containsExactly(PROTOCOL_ERROR);
            assertThat(frames).noneMatch(f -> f.type() == RawH2.GOAWAY);

            // The HPACK table stayed in step (the bomb's entry is in it): the next request on the connection works.
            socket.getOutputStream().write(RawH2.frame(RawH2.HEADERS, RawH2.END_STREAM | RawH2.END_HEADERS, 3,
                    RawH2.getHeaders("app")));
            assertThat(answer(socket)).isEqualTo("h2c app");
        }
        assertThat(app.requests()).isEqualTo(1);
        assertThat(sidecar.admin("/stats")).contains("windlass.downstream_rq_h2_stream_error: 1");
    }

    private static void flood(Socket socket) {
        try {
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            out.write(RawH2.PREFACE);
            out.write(RawH2.frame(RawH2.SETTINGS, 0, 0, new byte[0]));
            byte[] headers = RawH2.getHeaders("app");
            for (int i = 0; i < PAIRS; i++) {
                int stream = 2 * i + 1;
                out.write(RawH2.frame(RawH2.HEADERS, RawH2.END_HEADERS, stream, headers));
                out.write(RawH2.rstStream(stream, 0x8));
            }
            out.flush();
        } catch (IOException e) {
            // the proxy closed the connection mid-flood: what the test waits for
        }
    }

    /** The body of the first DATA frame that arrives. */
    private static String answer(Socket socket) throws IOException {
        return RawH2.readFor(socket, Duration.ofSeconds(2)).stream().filter(f -> f.type() == RawH2.DATA)
                .map(f -> new String(f.payload(), StandardCharsets.US_ASCII)).findFirst().orElse(null);
    }
}
