package dev.windlass.proxy.it;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import dev.windlass.proxy.testing.RawH2;
import dev.windlass.proxy.testing.RawHttp;
import dev.windlass.proxy.testing.Resources;
import dev.windlass.proxy.testing.RoutedGateway;
import dev.windlass.proxy.testing.RawUpstream;
import dev.windlass.proxy.testing.TestUpstream;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection manager's downstream timeouts against slow and abusive clients on real sockets, each set short
 * through the listener's HttpConnectionManager as xDS sends it: a slowloris head gets 408 and a closed connection
 * while other clients are served and the app sees nothing of it; idle connections close (HTTP/1.1) or say GOAWAY
 * (h2c); a request idle in flight gets 408, or a reset once its response started; a request body slower than
 * request_timeout gets 408. Each is counted in /stats by Envoy's name.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlowClientsTest {
    private static final String APP = "outbound|80||app.test.svc.cluster.local";
    private static final long GOAWAY_NO_ERROR = 0;

    private TestUpstream app;
    private RoutedGateway gateway;

    @BeforeEach
    void start() throws Exception {
        app = new TestUpstream("app");
        gateway = new RoutedGateway();
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        app.close();
    }

    private void serve(Consumer<HttpConnectionManager.Builder> timeouts) throws Exception {
        serve(timeouts, app.address());
    }

    private void serve(Consumer<HttpConnectionManager.Builder> timeouts, String endpoint) throws Exception {
        HttpConnectionManager.Builder hcm = HttpConnectionManager.newBuilder().setStatPrefix("gateway")
                .setRds(Rds.newBuilder().setRouteConfigName("80").setConfigSource(Resources.ads()));
        timeouts.accept(hcm);
        Filter filter = Filter.newBuilder().setName("envoy.filters.network.http_connection_manager")
                .setTypedConfig(Any.pack(hcm.build())).build();
        // No route timeout: only the connection manager's timeouts are at work.
        RouteConfiguration routes = RouteConfiguration.newBuilder().setName("80").addVirtualHosts(VirtualHost.newBuilder()
                .setName("all").addDomains("*").addRoutes(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
                        .setRoute(RouteAction.newBuilder().setCluster(APP).setTimeout(Duration.getDefaultInstance())))).build();
        gateway.serve(gateway.listener(FilterChain.newBuilder().addFilters(filter).build()), routes,
                Map.of(APP, List.of(endpoint)));
    }

    static Duration millis(long millis) {
        return Duration.newBuilder().setSeconds(millis / 1000).setNanos((int) (millis % 1000) * 1_000_000).build();
    }

    @Test
    void aSlowlorisHeadGets408AndIsClosedWhileAnotherClientIsServed() throws Exception {
        serve(hcm -> hcm.setRequestHeadersTimeout(millis(2000)));
        try (Socket slow = gateway.connect()) {
            byte[] head = "GET /slowloris HTTP/1.1\r\nHost: app\r\nX-Trickled: yes\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            long first = System.nanoTime();
            CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> trickle(slow, head, 1000));
            Thread.sleep(1200);
            assertThat(gateway.get("/").status()).as("another client, meanwhile").isEqualTo(200);

            RawHttp.Response response = RawHttp.read(slow.getInputStream());
            long millis = (System.nanoTime() - first) / 1_000_000;
            assertThat(response.status()).isEqualTo(408);
            assertThat(response.body()).isEqualTo("request header timeout");
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(slow.getInputStream().read()).as("closed").isEqualTo(-1);
            assertThat(millis).as("from the first byte").isBetween(1900L, 3500L);
            trickle.join();
        }
        assertThat(app.seen()).extracting(TestUpstream.Seen::path).containsExactly("/");
        assertThat(gateway.stats()).contains("windlass.downstream_rq_header_timeout: 1");
    }

    @Test
    void anH2cHeaderBlockTrickledOrLeftOpenEndsInGoAwayWhileAClientSendingPingsStays() throws Exception {
        serve(hcm -> hcm.setRequestHeadersTimeout(millis(1500)));
        try (Socket pinging = gateway.connect(); Socket trickling = gateway.connect(); Socket open = gateway.connect()) {
            RawH2.start(pinging);
            RawH2.start(trickling);
            RawH2.start(open);
            byte[] headers = RawH2.frame(RawH2.HEADERS, RawH2.END_STREAM | RawH2.END_HEADERS, 1, RawH2.getHeaders("app"));
            long first = System.nanoTime();
            CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> trickle(trickling, headers, 400));
            // A complete HEADERS frame whose block goes on in a CONTINUATION frame that never comes.
            open.getOutputStream().write(RawH2.frame(RawH2.HEADERS, RawH2.END_STREAM, 1, RawH2.getHeaders("app")));
            for (int i = 0; i < 10; i++) {
                pinging.getOutputStream().write(RawH2.frame(RawH2.PING, 0, 0, new byte[8]));
                Thread.sleep(300);
            }
            for (Socket cut : List.of(trickling, open)) {
                List<RawH2.Frame> frames = RawH2.readUntilClosed(cut);
                assertThat(frames).filteredOn(f -> f.type() == RawH2.GOAWAY).singleElement()
                        .extracting(RawH2.Frame::errorCode).isEqualTo(GOAWAY_NO_ERROR);
                assertThat(frames).noneMatch(f -> f.type() == RawH2.HEADERS);
            }
            assertThat((System.nanoTime() - first) / 1_000_000).isBetween(1400L, 3500L);
            trickle.join();
            try (RawH2 h2 = RawH2.started(pinging)) {
                assertThat(h2.request(RawH2.get("app", "/")).body()).as("after 3 s of PINGs").isEqualTo("app");
            }
        }
        assertThat(app.seen()).extracting(TestUpstream.Seen::path).containsExactly("/");
        assertThat(gateway.stats()).contains("windlass.downstream_rq_header_timeout: 2");
    }

    @Test
    void aHeadSentInPiecesWithinTheTimeoutIsServedAndItsTimerEndsWithIt() throws Exception {
        serve(hcm -> hcm.setRequestHeadersTimeout(millis(1500)).setCommonHttpProtocolOptions(
                HttpProtocolOptions.newBuilder().setIdleTimeout(millis(60_000))));
        try (Socket socket = gateway.connect()) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /first HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(1000);
            out.write("st: app\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(RawHttp.read(socket.getInputStream()).status()).isEqualTo(200);
            // Idle between requests is the connection's idle timeout, not the header timeout.
            Thread.sleep(2000);
            assertThat(RawHttp.send(socket, RawHttp.get("/second", "app")).status()).isEqualTo(200);
        }
        assertThat(gateway.stats()).contains("windlass.downstream_rq_header_timeout: 0");
    }

    @Test
    void aPipelinedHeadLeftUnfinishedIsTimedFromTheEndOfTheRequestAheadOfIt() throws Exception {
        serve(hcm -> hcm.setRequestHeadersTimeout(millis(1500)).setCommonHttpProtocolOptions(
                HttpProtocolOptions.newBuilder().setIdleTimeout(millis(60_000))));
        try (Socket socket = gateway.connect()) {
            socket.getOutputStream().write((RawHttp.get("/sleep/1000", "app") + "GET /never HTTP/1.1\r\nHo")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(RawHttp.read(socket.getInputStream()).status()).isEqualTo(200);
            long answered = System.nanoTime();
            RawHttp.Response response = RawHttp.read(socket.getInputStream());
            assertThat(response.status()).isEqualTo(408);
            assertThat((System.nanoTime() - answered) / 1_000_000).as("from the end of the first request")
                    .isBetween(1300L, 3000L);
            assertThat(socket.getInputStream().read()).as("closed").isEqualTo(-1);
        }
        assertThat(app.seen()).extracting(TestUpstream.Seen::path).containsExactly("/sleep/1000");
        assertThat(gateway.stats()).contains("windlass.downstream_rq_header_timeout: 1");
    }

    @Test
    void anIdleHttp1ConnectionIsClosedAfterIdleTimeoutButNotWhileARequestIsInFlight() throws Exception {
        serve(hcm -> hcm.setCommonHttpProtocolOptions(HttpProtocolOptions.newBuilder().setIdleTimeout(millis(1500))));
        try (Socket socket = gateway.connect()) {
            assertThat(RawHttp.send(socket, RawHttp.get("/sleep/2500", "app")).status()).isEqualTo(200);
            long answered = System.nanoTime();
            assertThat(socket.getInputStream().read()).as("closed").isEqualTo(-1);
            assertThat((System.nanoTime() - answered) / 1_000_000).isBetween(1400L, 3000L);
        }
        assertThat(gateway.stats()).contains("windlass.downstream_cx_idle_timeout: 1");
    }

    @Test
    void anIdleH2cConnectionSaysGoAwayAndCloses() throws Exception {
        serve(hcm -> hcm.setCommonHttpProtocolOptions(HttpProtocolOptions.newBuilder().setIdleTimeout(millis(1500))));
        try (Socket socket = gateway.connect(); RawH2 h2 = new RawH2(socket)) {
            assertThat(h2.request(RawH2.get("app", "/sleep/2000")).status()).isEqualTo(200);
            long answered = System.nanoTime();
            List<RawH2.Frame> frames = RawH2.readUntilClosed(socket);
            assertThat((System.nanoTime() - answered) / 1_000_000).isBetween(1400L, 3000L);
            assertThat(frames).filteredOn(f -> f.type() == RawH2.GOAWAY).singleElement()
                    .extracting(RawH2.Frame::errorCode).isEqualTo(GOAWAY_NO_ERROR);
        }
        assertThat(gateway.stats()).contains("windlass.downstream_cx_idle_timeout: 1");
    }

    @Test
    void aRequestIdleInFlightGets408AndTheConnectionCarriesOn() throws Exception {
        serve(hcm -> hcm.setStreamIdleTimeout(millis(1000)));
        try (Socket socket = gateway.connect()) {
            long sent = System.nanoTime();
            RawHttp.Response timedOut = RawHttp.send(socket, RawHttp.get("/sleep/3000", "app"));
            assertThat(timedOut.status()).isEqualTo(408);
            assertThat(timedOut.body()).isEqualTo("stream timeout");
            assertThat((System.nanoTime() - sent) / 1_000_000).isBetween(900L, 2500L);
            assertThat(RawHttp.send(socket, RawHttp.get("/", "app")).body()).isEqualTo("app");
        }
        try (Socket socket = gateway.connect(); RawH2 h2 = new RawH2(socket)) {
            RawH2.Answer timedOut = h2.request(RawH2.get("app", "/sleep/3000"));
            assertThat(timedOut.status()).isEqualTo(408);
            assertThat(timedOut.body()).isEqualTo("stream timeout");
            assertThat(h2.request(RawH2.get("app", "/")).body()).as("the next stream").isEqualTo("app");
        }
        assertThat(gateway.stats()).contains("windlass.downstream_rq_idle_timeout: 2");
    }

    @Test
    void aResponseThatGoesQuietIsResetOnceStarted() throws Exception {
        try (RawUpstream stalling = RawUpstream.stalling()) {
            serve(hcm -> hcm.setStreamIdleTimeout(millis(1000)), stalling.address());
            try (Socket socket = gateway.connect()) {
                long sent = System.nanoTime();
                socket.getOutputStream().write(RawHttp.get("/", "app").getBytes(StandardCharsets.US_ASCII));
                String received = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(received).startsWith("HTTP/1.1 200").endsWith("first");
                assertThat((System.nanoTime() - sent) / 1_000_000).as("closed after the idle timeout").isBetween(900L, 2500L);
            }
            try (Socket socket = gateway.connect(); RawH2 h2 = new RawH2(socket)) {
                assertThat(h2.request(RawH2.get("app", "/")).resetCode()).as("RST_STREAM").isNotNull();
            }
        }
        assertThat(gateway.stats()).contains("windlass.downstream_rq_idle_timeout: 2");
    }

    @Test
    void aBodySlowerThanRequestTimeoutGets408() throws Exception {
        serve(hcm -> hcm.setRequestTimeout(millis(1500)));
        try (Socket socket = gateway.connect()) {
            byte[] body = "0123456789".repeat(10).getBytes(StandardCharsets.US_ASCII);
            long sent = System.nanoTime();
            socket.getOutputStream().write(("POST /echo HTTP/1.1\r\nHost: app\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> trickle(socket, body, 200));
            RawHttp.Response response = RawHttp.read(socket.getInputStream());
            assertThat(response.status()).isEqualTo(408);
            assertThat(response.body()).isEqualTo("request timeout");
            assertThat((System.nanoTime() - sent) / 1_000_000).isBetween(1400L, 3000L);
            assertThat(socket.getInputStream().read()).as("closed: the body was cut short").isEqualTo(-1);
            trickle.join();
        }
        assertThat(gateway.stats()).contains("windlass.downstream_rq_timeout: 1");
    }

    /** Writes {@code bytes} one at a time, {@code everyMillis} apart, until done or the proxy closes. */
    private static void trickle(Socket socket, byte[] bytes, long everyMillis) {
        try {
            OutputStream out = socket.getOutputStream();
            for (byte b : bytes) {
                out.write(b);
                out.flush();
                Thread.sleep(everyMillis);
            }
        } catch (IOException | InterruptedException e) {
            // closed by the proxy: expected
        }
    }
}
