package dev.windlass.proxy.it;

import dev.windlass.proxy.Role;
import dev.windlass.proxy.testing.ProxyHarness;
import dev.windlass.proxy.testing.RawHttp;
import dev.windlass.proxy.testing.TcpEchoServer;
import dev.windlass.proxy.testing.TestAdsServer;
import dev.windlass.proxy.testing.TestMesh;
import dev.windlass.proxy.testing.TestUpstream;
import dev.windlass.proxy.xds.ResourceType;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.windlass.proxy.testing.Resources.gatewayListener;
import static dev.windlass.proxy.testing.Resources.httpListener;
import static dev.windlass.proxy.testing.Resources.virtualInbound;
import static dev.windlass.proxy.testing.Resources.virtualOutbound;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sidecar in this JVM, against a real gRPC ADS server and real upstream servers on loopback. Connections enter
 * the real capture ports; only the kernel's SO_ORIGINAL_DST answer is supplied by the test (see TestResolver).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SidecarProxyTest {
    private static final InetSocketAddress REVIEWS_VIP = new InetSocketAddress(TestMesh.CLUSTER_IP, 80);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private TestAdsServer ads;
    private TestUpstream a;
    private TestUpstream b;
    private TestUpstream app;
    private ProxyHarness sidecar;

    @BeforeEach
    void start() throws Exception {
        ads = new TestAdsServer();
        a = new TestUpstream("a");
        b = new TestUpstream("b");
        app = new TestUpstream("app");
        sidecar = new ProxyHarness(Role.SIDECAR, ads.address(), Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        sidecar.close();
        ads.close();
        a.close();
        b.close();
        app.close();
    }

    private void serveAll() throws Exception {
        TestMesh.serveAll(ads, "1", app.port(), List.of(a.address(), b.address()), List.of());
        sidecar.awaitReady(WAIT);
    }

    private RawHttp.Response viaOutbound(InetSocketAddress destination, String request) throws IOException {
        try (Socket socket = sidecar.resolver.connect(sidecar.outbound(), destination)) {
            return RawHttp.send(socket, request);
        }
    }

    @Test
    void readinessWaitsForTheEndpointsAndRoutesTheListenersAndClustersNeed() throws Exception {
        assertThat(sidecar.readinessStatus()).isEqualTo(503);
        TestMesh.serveClustersAndListeners(ads, "1", app.port());
        ads.awaitRequest(r -> r.getTypeUrl().equals(ResourceType.LDS.typeUrl()) && r.getVersionInfo().equals("1"), WAIT);
        ads.awaitRequest(r -> r.getTypeUrl().equals(ResourceType.EDS.typeUrl())
                && r.getResourceNamesList().contains(TestMesh.REVIEWS), WAIT);
        ads.awaitRequest(r -> r.getTypeUrl().equals(ResourceType.RDS.typeUrl())
                && r.getResourceNamesList().equals(List.of("80")), WAIT);
        assertThat(sidecar.readinessStatus()).isEqualTo(503);
        assertThat(sidecar.admin("/ready")).contains("PRE_INITIALIZING");

        TestMesh.serveRoutes(ads, "1");
        TestMesh.serveEndpoints(ads, "1", List.of(a.address()), List.of());
        sidecar.awaitReady(WAIT);
        assertThat(sidecar.admin("/ready")).contains("LIVE");
    }

    @Test
    void httpRequestReachesTheUpstreamWithTheMeshHeaders() throws Exception {
        serveAll();
        RawHttp.Response response = viaOutbound(REVIEWS_VIP, RawHttp.get("/reviews/1", "reviews:80"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isIn("a", "b");
        assertThat(response.header("x-envoy-upstream-service-time")).matches("\\d+");
        assertThat(response.header("x-windlass-peer-workload")).isNull();
        TestUpstream.Seen seen = (response.body().equals("a") ? a : b).seen().getFirst();
        assertThat(seen.path()).isEqualTo("/reviews/1");
        assertThat(seen.headers().get("x-request-id")).matches("[0-9a-f-]{36}");
        assertThat(seen.headers()).containsEntry("x-forwarded-proto", "http")
                .containsEntry("x-windlass-peer-workload", "client")
                .containsEntry("x-windlass-peer-namespace", "test")
                .containsEntry("host", "reviews:80");
        sidecar.awaitPrometheus("windlass_requests_total{reporter=\"source\","
                + "source_workload=\"client\",source_workload_namespace=\"test\",destination_workload=\"reviews-v1\","
                + "destination_workload_namespace=\"test\",destination_service=\"reviews.test.svc.cluster.local\","
                + "response_code=\"200\",source_principal=\"unknown\",connection_security_policy=\"unknown\"} 1",
                "windlass_request_duration_milliseconds_bucket{reporter=\"source\"");
    }

    @Test
    void anExistingRequestIdIsKeptAndKeepAliveConnectionsServeManyRequests() throws Exception {
        serveAll();
        try (Socket socket = sidecar.resolver.connect(sidecar.outbound(), REVIEWS_VIP)) {
            for (int i = 0; i < 5; i++) {
                RawHttp.Response response = RawHttp.send(socket, RawHttp.get("/r" + i, "reviews", "x-request-id: id-" + i));
                assertThat(response.status()).isEqualTo(200);
            }
        }
        List<String> ids = new ArrayList<>();
        a.seen().forEach(s -> ids.add(s.headers().get("x-request-id")));
        b.seen().forEach(s -> ids.add(s.headers().get("x-request-id")));
        assertThat(ids).containsExactlyInAnyOrder("id-0", "id-1", "id-2", "id-3", "id-4");
    }

    @Test
    void roundRobinSpreadsRequestsAcrossBothEndpoints() throws Exception {
        serveAll();
        for (int i = 0; i < 10; i++) {
            assertThat(viaOutbound(REVIEWS_VIP, RawHttp.get("/", "reviews.test.svc.cluster.local")).status()).isEqualTo(200);
        }
        assertThat(a.seen()).hasSize(5);
        assertThat(b.seen()).hasSize(5);
        assertThat(sidecar.admin("/clusters")).contains(TestMesh.REVIEWS + "::" + a.address() + "::health_flags::healthy");
    }

    @Test
    void unknownHostGets404AndTheConnectionKeepsWorking() throws Exception {
        serveAll();
        try (Socket socket = sidecar.resolver.connect(sidecar.outbound(), REVIEWS_VIP)) {
            assertThat(RawHttp.send(socket, RawHttp.get("/", "nobody.example")).status()).isEqualTo(404);
            assertThat(RawHttp.send(socket, RawHttp.get("/", "reviews")).status()).isEqualTo(200);
        }
    }

    @Test
    void anInvalidListenerIsNackedAndTheLastGoodConfigKeepsServing() throws Exception {
        serveAll();
        var broken = httpListener(80).toBuilder().clearFilterChains().addFilterChains(
                io.envoyproxy.envoy.config.listener.v3.FilterChain.newBuilder().addFilters(
                        dev.windlass.proxy.testing.Resources.hcmInline(
                                io.envoyproxy.envoy.config.route.v3.RouteConfiguration.getDefaultInstance())
                                .toBuilder().setTypedConfig(com.google.protobuf.Any.pack(
                                        io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3
                                                .HttpConnectionManager.newBuilder().setStatPrefix("broken").build()))))
                .build();
        ads.set(ResourceType.LDS, "2", virtualOutbound(15001), broken);

        DiscoveryRequest nack = ads.awaitRequest(r -> r.hasErrorDetail()
                && r.getTypeUrl().equals(ResourceType.LDS.typeUrl()), WAIT);
        assertThat(nack.getVersionInfo()).isEqualTo("1");
        assertThat(nack.getErrorDetail().getMessage()).contains("0.0.0.0_80", "references no route configuration");
        assertThat(viaOutbound(REVIEWS_VIP, RawHttp.get("/", "reviews")).status()).isEqualTo(200);
        assertThat(sidecar.admin("/stats")).contains("control_plane.nack: 1");
        assertThat(sidecar.admin("/config_dump")).contains("\"name\": \"0.0.0.0_80\"", "\"version_info\": \"1\"");
    }

    @Test
    void trafficFlowsWhileTheDiscoveryServerIsDownAndNewConfigArrivesAfterReconnect() throws Exception {
        serveAll();
        int port = ads.port();
        ads.close();
        for (int i = 0; i < 3; i++) {
            assertThat(viaOutbound(REVIEWS_VIP, RawHttp.get("/", "reviews")).status()).isEqualTo(200);
            Thread.sleep(300);
        }
        assertThat(sidecar.readinessStatus()).isEqualTo(200);

        ads = new TestAdsServer("127.0.0.1", port);
        TestMesh.serveAll(ads, "2", app.port(), List.of(b.address()), List.of());
        ads.awaitRequest(r -> r.getTypeUrl().equals(ResourceType.EDS.typeUrl()) && r.getVersionInfo().equals("2"),
                Duration.ofSeconds(30));
        int before = b.seen().size();
        for (int i = 0; i < 4; i++) {
            assertThat(viaOutbound(REVIEWS_VIP, RawHttp.get("/", "reviews")).body()).isEqualTo("b");
        }
        assertThat(b.seen()).hasSize(before + 4);
    }

    @Test
    void oversizedHeadersGet431AndTheProxyKeepsServing() throws Exception {
        serveAll();
        String huge = "x-big: " + "a".repeat(70 * 1024);
        RawHttp.Response refused = viaOutbound(REVIEWS_VIP, RawHttp.get("/", "reviews", huge));
        assertThat(refused.status()).isEqualTo(431);
        RawHttp.Response longLine = viaOutbound(REVIEWS_VIP, RawHttp.get("/" + "p".repeat(8192), "reviews"));
        assertThat(longLine.status()).isEqualTo(414);
        assertThat(viaOutbound(REVIEWS_VIP, RawHttp.get("/", "reviews")).status()).isEqualTo(200);
        assertThat(sidecar.admin("/stats")).contains("windlass.downstream_rq_431: 1");
    }

    @Test
    void requestBodiesAreStreamedToTheUpstream() throws Exception {
        serveAll();
        String body = "0123456789".repeat(10_000);
        String request = "POST /echo HTTP/1.1\r\nHost: reviews\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
        RawHttp.Response response = viaOutbound(REVIEWS_VIP, request);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(body);
    }

    @Test
    void tcpListenerProxiesBytesBothWays() throws Exception {
        try (TcpEchoServer db = new TcpEchoServer("db")) {
            TestMesh.serveAll(ads, "1", app.port(), List.of(a.address()), List.of("127.0.0.1:" + db.port()));
            sidecar.awaitReady(WAIT);
            try (Socket socket = sidecar.resolver.connect(sidecar.outbound(), new InetSocketAddress("10.0.0.20", 5432))) {
                socket.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                socket.shutdownOutput();
                assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .isEqualTo("db:hello");
            }
        }
    }

    @Test
    void unknownDestinationsPassThroughToTheOriginalDestination() throws Exception {
        serveAll();
        try (TcpEchoServer outside = new TcpEchoServer("outside");
             Socket socket = sidecar.resolver.connect(sidecar.outbound(), new InetSocketAddress("127.0.0.1", outside.port()))) {
            socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("outside:ping");
        }
        assertThat(sidecar.admin("/stats")).contains("windlass.passthrough_cx_total: 1");
    }

    @Test
    void inboundGoesToTheAppFrom127_0_0_6AndTrustsNoPeerHeadersOverPlainText() throws Exception {
        serveAll();
        try (Socket socket = sidecar.resolver.connect(sidecar.inbound(), new InetSocketAddress("10.1.1.1", app.port()))) {
            RawHttp.Response response = RawHttp.send(socket, RawHttp.get("/ratings", "ratings:9080",
                    "x-windlass-peer-workload: productpage-v1", "x-windlass-peer-namespace: shop",
                    "x-forwarded-client-cert: URI=spiffe://cluster.local/ns/shop/sa/forged"));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("app");
            assertThat(response.header("x-windlass-peer-workload")).as("our names are for mesh peers only").isNull();
        }
        TestUpstream.Seen seen = app.seen().getFirst();
        assertThat(seen.remote().getAddress().getHostAddress()).isEqualTo("127.0.0.6");
        assertThat(seen.headers()).doesNotContainKey("x-windlass-peer-workload").doesNotContainKey("x-forwarded-client-cert");
        // Plain text proves nothing about the client: the headers it sent name no source.
        sidecar.awaitPrometheus("windlass_requests_total{reporter=\"destination\","
                + "source_workload=\"unknown\",source_workload_namespace=\"unknown\",destination_workload=\"client\"",
                "source_principal=\"unknown\",connection_security_policy=\"none\"");
    }

    @Test
    void drainFinishesTheRequestInFlightAndRefusesNewConnections() throws Exception {
        serveAll();
        Socket socket = sidecar.resolver.connect(sidecar.outbound(), REVIEWS_VIP);
        CompletableFuture<RawHttp.Response> inFlight = CompletableFuture.supplyAsync(() -> {
            try (socket) {
                return RawHttp.send(socket, RawHttp.get("/slow", "reviews"));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        long start = System.nanoTime();
        Thread drain = Thread.ofPlatform().start(sidecar.proxy::drainAndStop);
        RawHttp.Response response = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("connection")).isEqualTo("close");
        drain.join(10_000);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(canConnect(sidecar.outbound())).isFalse();
    }

    private static boolean canConnect(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            InputStream in = socket.getInputStream();
            socket.setSoTimeout(500);
            return in.read() != -1;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void accessLogLinesGoWhereTheMeshConfigSays(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        assertThat(accessLog(dir, Map.of())).containsPattern("^\\[.+\\] \"GET /logged HTTP/1.1\" 200 - 0 1 "
                + "\\d+ \\d+ \"-\" \"test\" \"log-1\" \"reviews\" \"127.0.0.1:\\d+\" " + java.util.regex.Pattern.quote(TestMesh.REVIEWS));
    }

    /** meshConfig.accessLogEncoding: JSON gives the same fields under Istio's default JSON keys, one object a line. */
    @Test
    void accessLogLinesAreJsonWhenTheMeshAsks(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String line = accessLog(dir, Map.of("ACCESS_LOG_ENCODING", "JSON")).strip();
        com.google.gson.JsonObject json = com.google.gson.JsonParser.parseString(line).getAsJsonObject();
        assertThat(json.get("method").getAsString()).isEqualTo("GET");
        assertThat(json.get("path").getAsString()).isEqualTo("/logged");
        assertThat(json.get("protocol").getAsString()).isEqualTo("HTTP/1.1");
        assertThat(json.get("response_code").getAsInt()).isEqualTo(200);
        assertThat(json.get("response_flags").isJsonNull()).isTrue();
        assertThat(json.get("bytes_sent").getAsLong()).isEqualTo(1);
        assertThat(json.get("user_agent").getAsString()).isEqualTo("test");
        assertThat(json.get("request_id").getAsString()).isEqualTo("log-1");
        assertThat(json.get("authority").getAsString()).isEqualTo("reviews");
        assertThat(json.get("upstream_host").getAsString()).startsWith("127.0.0.1:");
        assertThat(json.get("upstream_cluster").getAsString()).isEqualTo(TestMesh.REVIEWS);
        assertThat(json.keySet()).contains("start_time", "duration", "upstream_service_time", "x_forwarded_for", "bytes_received");
    }

    /** The access log of one request through a sidecar given {@code env} besides ACCESS_LOG_FILE. */
    private String accessLog(java.nio.file.Path dir, Map<String, String> env) throws Exception {
        java.nio.file.Path log = dir.resolve("access.log");
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("ACCESS_LOG_FILE", log.toString());
        try (ProxyHarness logging = new ProxyHarness(Role.SIDECAR, ads.address(), all)) {
            serveAll();
            logging.awaitReady(WAIT);
            try (Socket socket = logging.resolver.connect(logging.outbound(), REVIEWS_VIP)) {
                RawHttp.send(socket, RawHttp.get("/logged", "reviews", "x-request-id: log-1", "User-Agent: test"));
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!(java.nio.file.Files.exists(log) && java.nio.file.Files.readString(log).contains("log-1"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            return java.nio.file.Files.readString(log);
        }
    }

    @Test
    void routerBindsTheListenersItIsGiven() throws Exception {
        try (var free = new java.net.ServerSocket(0)) {
            free.close();
            int port = free.getLocalPort();
            try (ProxyHarness gateway = new ProxyHarness(Role.ROUTER, ads.address(), Map.of())) {
                TestMesh.serveAll(ads, "1", app.port(), List.of(a.address()), List.of());
                ads.set(ResourceType.LDS, "2", gatewayListener("127.0.0.1", port, "80"), virtualInbound(15006, List.of()));
                gateway.awaitReady(WAIT);
                RawHttp.Response response = awaitGet(port, "reviews");
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("a");
            }
        }
    }

    private static RawHttp.Response awaitGet(int port, String host) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                socket.setSoTimeout(5000);
                return RawHttp.send(socket, RawHttp.get("/", host));
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
