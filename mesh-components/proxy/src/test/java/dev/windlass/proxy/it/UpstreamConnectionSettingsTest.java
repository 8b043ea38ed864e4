package dev.windlass.proxy.it;

import com.google.protobuf.UInt32Value;
import dev.windlass.proxy.testing.RawHttp;
import dev.windlass.proxy.testing.Resources;
import dev.windlass.proxy.testing.RoutedGateway;
import dev.windlass.proxy.testing.TcpEchoServer;
import dev.windlass.proxy.testing.TestUpstream;
import dev.windlass.proxy.xds.ResourceType;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.UpstreamConnectionOptions;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.TcpKeepalive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Connection settings of two clusters of one Service (as per-port DestinationRule settings make them: one cluster
 * per port) to the same real endpoint, through a real proxy: each cluster's limits apply to it alone, their
 * connections are not shared, max_connection_duration retires old connections (counted in /stats), and
 * tcp_keepalive is on the proxy's upstream sockets, as the kernel's socket table shows.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpstreamConnectionSettingsTest {
    private static final String LIMITED = "outbound|8000||app.test.svc.cluster.local";
    private static final String OPEN = "outbound|9000||app.test.svc.cluster.local";

    private TestUpstream upstream;
    private RoutedGateway gateway;

    @BeforeEach
    void start() throws Exception {
        upstream = new TestUpstream("app");
        gateway = new RoutedGateway();
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        upstream.close();
    }

    private Cluster.Builder cluster(String name) {
        return Resources.edsCluster(name).toBuilder().clearEdsClusterConfig().setType(Cluster.DiscoveryType.STATIC)
                .setLoadAssignment(Resources.endpoints(name, "app", upstream.address()));
    }

    /** Host a.test goes to the first cluster, b.test to the second. */
    private void serve(Cluster a, Cluster b) throws Exception {
        gateway.serve(Resources.routes("80", Resources.virtualHost("a", List.of("a.test"), a.getName()),
                Resources.virtualHost("b", List.of("b.test"), b.getName())), a, b);
    }


    private RawHttp.Response get(String host, String path) throws Exception {
        return gateway.send(RawHttp.get(path, host, "Connection: close"));
    }

    @Test
    void eachPortsConnectionPoolLimitsOnlyItsOwnCluster() throws Exception {
        serve(cluster(LIMITED).setCircuitBreakers(CircuitBreakers.newBuilder().addThresholds(CircuitBreakers.Thresholds
                        .newBuilder().setMaxConnections(UInt32Value.of(1)).setMaxPendingRequests(UInt32Value.of(1)))).build(),
                cluster(OPEN).setCircuitBreakers(CircuitBreakers.newBuilder().addThresholds(CircuitBreakers.Thresholds
                        .newBuilder().setMaxConnections(UInt32Value.of(3)))).build());
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<RawHttp.Response>> a = new ArrayList<>();
            List<Future<RawHttp.Response>> b = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                a.add(pool.submit(() -> get("a.test", "/sleep/700")));
                b.add(pool.submit(() -> get("b.test", "/sleep/700")));
            }
            List<Integer> limited = new ArrayList<>();
            List<Integer> open = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                limited.add(a.get(i).get(30, TimeUnit.SECONDS).status());
                open.add(b.get(i).get(30, TimeUnit.SECONDS).status());
            }
            // One connection and one waiting request for port 8000: the third overflows. Port 9000 takes all three.
            assertThat(limited).containsExactlyInAnyOrder(200, 200, 503);
            assertThat(open).containsOnly(200);
        } finally {
            pool.shutdownNow();
        }
        String stats = gateway.stats();
        assertThat(stats).contains("cluster." + LIMITED + ".upstream_rq_pending_overflow: 1\n")
                .contains("cluster." + OPEN + ".upstream_rq_pending_overflow: 0\n");
    }

    @Test
    void twoClustersToTheSameEndpointDoNotShareConnections() throws Exception {
        serve(cluster(LIMITED).build(), cluster(OPEN).build());
        List<Integer> aPorts = new ArrayList<>();
        List<Integer> bPorts = new ArrayList<>();
        // One downstream connection: one event loop, one upstream pool, so only the key tells the clusters apart.
        try (Socket socket = gateway.connect()) {
            for (int i = 0; i < 4; i++) {
                String host = i % 2 == 0 ? "a.test" : "b.test";
                assertThat(RawHttp.send(socket, RawHttp.get("/", host)).status()).isEqualTo(200);
                (i % 2 == 0 ? aPorts : bPorts).add(upstream.seen().getLast().remote().getPort());
            }
        }
        assertThat(aPorts).hasSize(2).containsOnly(aPorts.getFirst());
        assertThat(bPorts).hasSize(2).containsOnly(bPorts.getFirst());
        assertThat(aPorts.getFirst()).isNotEqualTo(bPorts.getFirst());
    }

    @Test
    void aConnectionOlderThanMaxConnectionDurationIsClosedAndCounted() throws Exception {
        Cluster aged = Resources.withCommonHttpOptions(cluster(LIMITED), HttpProtocolOptions.newBuilder()
                .setMaxConnectionDuration(com.google.protobuf.Duration.newBuilder().setNanos(300_000_000)));
        serve(aged, cluster(OPEN).build());
        try (Socket socket = gateway.connect()) {
            for (int i = 0; i < 3; i++) {
                assertThat(RawHttp.send(socket, RawHttp.get("/", "a.test")).status()).isEqualTo(200);
                Thread.sleep(600);
            }
            // The other cluster keeps its connection: two requests, one connection.
            for (int i = 0; i < 2; i++) {
                assertThat(RawHttp.send(socket, RawHttp.get("/", "b.test")).status()).isEqualTo(200);
                Thread.sleep(600);
            }
        }
        List<Integer> ports = upstream.seen().stream().map(s -> s.remote().getPort()).toList();
        assertThat(ports.subList(0, 3)).doesNotHaveDuplicates();
        assertThat(ports.subList(3, 5)).containsOnly(ports.get(3));
        assertThat(gateway.stats()).contains("cluster." + LIMITED + ".upstream_cx_max_duration_reached: 3\n")
                .contains("windlass.upstream_cx_max_duration_reached: 3\n");
    }

    @Test
    void aRequestInFlightFinishesBeforeItsAgedConnectionCloses() throws Exception {
        Cluster aged = Resources.withCommonHttpOptions(cluster(LIMITED), HttpProtocolOptions.newBuilder()
                .setMaxConnectionDuration(com.google.protobuf.Duration.newBuilder().setNanos(300_000_000)));
        serve(aged, cluster(OPEN).build());
        try (Socket socket = gateway.connect()) {
            RawHttp.Response slow = RawHttp.send(socket, RawHttp.get("/sleep/900", "a.test"));
            assertThat(slow.status()).isEqualTo(200);
            assertThat(slow.body()).isEqualTo("app");
            // Reached during the request, the connection closed after it: the next request opens another.
            assertThat(RawHttp.send(socket, RawHttp.get("/", "a.test")).status()).isEqualTo(200);
        }
        List<Integer> ports = upstream.seen().stream().map(s -> s.remote().getPort()).toList();
        assertThat(ports).hasSize(2).doesNotHaveDuplicates();
        assertThat(gateway.stats()).containsPattern("cluster\\." + java.util.regex.Pattern.quote(LIMITED)
                + "\\.upstream_cx_max_duration_reached: [12]\n");
    }

    @Test
    void tcpKeepaliveIsOnTheProxysUpstreamHttpConnections() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "Linux socket table");
        serve(cluster(LIMITED).setUpstreamConnectionOptions(keepalive(600)).build(), cluster(OPEN).build());
        try (Socket socket = gateway.connect()) {
            assertThat(RawHttp.send(socket, RawHttp.get("/", "a.test")).status()).isEqualTo(200);
            int withKeepalive = upstream.seen().getLast().remote().getPort();
            assertThat(RawHttp.send(socket, RawHttp.get("/", "b.test")).status()).isEqualTo(200);
            int without = upstream.seen().getLast().remote().getPort();
            assertKeepaliveTimer(KernelSockets.timer(withKeepalive, upstream.port()), 600);
            assertThat(KernelSockets.timer(without, upstream.port()).active()).isZero();
        }
    }

    @Test
    void tcpKeepaliveIsOnTheProxysUpstreamTcpConnections() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "Linux socket table");
        try (TcpEchoServer echo = new TcpEchoServer("A")) {
            Cluster cluster = Resources.edsCluster(LIMITED).toBuilder().clearEdsClusterConfig()
                    .setType(Cluster.DiscoveryType.STATIC).setUpstreamConnectionOptions(keepalive(900))
                    .setLoadAssignment(Resources.endpoints(LIMITED, "echo", "127.0.0.1:" + echo.port())).build();
            gateway.ads.set(ResourceType.CDS, "1", cluster);
            gateway.ads.set(ResourceType.LDS, "1", Resources.tcpListener(gateway.port, LIMITED).toBuilder()
                    .clearBindToPort().setAddress(Resources.address("127.0.0.1", gateway.port)).build());
            gateway.proxy.awaitReady(Duration.ofSeconds(10));
            try (Socket socket = connectWhenListening()) {
                socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                byte[] reply = socket.getInputStream().readNBytes(2);
                assertThat(new String(reply, StandardCharsets.US_ASCII)).isEqualTo("A:");
                assertKeepaliveTimer(KernelSockets.timer(0, echo.port()), 900);
            }
        }
    }

    private Socket connectWhenListening() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return gateway.connect();
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    private static UpstreamConnectionOptions keepalive(int seconds) {
        return UpstreamConnectionOptions.newBuilder().setTcpKeepalive(TcpKeepalive.newBuilder()
                .setKeepaliveProbes(UInt32Value.of(3)).setKeepaliveTime(UInt32Value.of(seconds))
                .setKeepaliveInterval(UInt32Value.of(10))).build();
    }

    /** The keepalive timer runs, due within the keepalive time (not the kernel's 7200 s). */
    private static void assertKeepaliveTimer(KernelSockets.Timer timer, int seconds) {
        assertThat(timer.active()).as("timer kind (2: keepalive)").isEqualTo(2);
        assertThat(timer.dueSeconds()).isBetween(seconds - 60.0, (double) seconds);
    }
}
