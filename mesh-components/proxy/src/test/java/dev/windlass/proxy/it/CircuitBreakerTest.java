package dev.windlass.proxy.it;

import com.google.protobuf.UInt32Value;
import dev.windlass.proxy.testing.RawHttp;
import dev.windlass.proxy.testing.Resources;
import dev.windlass.proxy.testing.RoutedGateway;
import dev.windlass.proxy.testing.TestUpstream;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cluster's circuit breakers and connection settings through a real proxy on loopback to a real upstream:
 * requests beyond max_connections wait (up to max_pending_requests), beyond that or beyond max_requests they are
 * answered 503 at once with x-envoy-overloaded and flag UO, counted in /stats; max_requests_per_connection opens
 * a new upstream connection when a connection has served its share.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CircuitBreakerTest {
    private static final String CLUSTER = "outbound|80||app.test.svc.cluster.local";

    @TempDir
    Path dir;
    private TestUpstream upstream;
    private RoutedGateway gateway;
    private Path accessLog;

    @BeforeEach
    void start() throws Exception {
        upstream = new TestUpstream("app");
        accessLog = dir.resolve("access.log");
        gateway = new RoutedGateway(Map.of("ACCESS_LOG_FILE", accessLog.toString()));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        upstream.close();
    }

    private void serve(CircuitBreakers.Thresholds.Builder thresholds, int maxRequestsPerConnection) throws Exception {
        serve(thresholds, maxRequestsPerConnection, null, Resources.routes("80", Resources.virtualHost("app", List.of("*"), CLUSTER)));
    }

    private void serve(CircuitBreakers.Thresholds.Builder thresholds, int maxRequestsPerConnection,
                       com.google.protobuf.Duration idleTimeout, RouteConfiguration routes) throws Exception {
        Cluster.Builder cluster = Resources.edsCluster(CLUSTER).toBuilder().clearEdsClusterConfig()
                .setType(Cluster.DiscoveryType.STATIC)
                .setLoadAssignment(Resources.endpoints(CLUSTER, "app", upstream.address()))
                .setCircuitBreakers(CircuitBreakers.newBuilder().addThresholds(thresholds));
        if (maxRequestsPerConnection > 0 || idleTimeout != null) {
            HttpProtocolOptions.Builder common = HttpProtocolOptions.newBuilder();
            if (maxRequestsPerConnection > 0) {
                common.setMaxRequestsPerConnection(UInt32Value.of(maxRequestsPerConnection));
            }
            if (idleTimeout != null) {
                common.setIdleTimeout(idleTimeout);
            }
            cluster = Resources.withCommonHttpOptions(cluster, common).toBuilder();
        }
        gateway.serve(routes, cluster.build());
    }

    @Test
    void beyondOneConnectionAndOnePendingRequestTheThirdOverflowsAt503UO() throws Exception {
        serve(CircuitBreakers.Thresholds.newBuilder().setMaxConnections(UInt32Value.of(1))
                .setMaxPendingRequests(UInt32Value.of(1)), 0);
        long start = System.nanoTime();
        List<RawHttp.Response> responses = gateway.concurrently(3, "/sleep/700");
        List<RawHttp.Response> overflowed = responses.stream().filter(r -> r.status() == 503).toList();
        assertThat(responses.stream().filter(r -> r.status() == 200)).hasSize(2);
        assertThat(overflowed).hasSize(1);
        assertThat(overflowed.get(0).header("x-envoy-overloaded")).isEqualTo("true");
        assertThat(overflowed.get(0).body()).endsWith("reset reason: overflow");
        // The waiting request ran after the first: two upstream requests of 700 ms, one after the other.
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(1400);
        assertThat(upstream.seen()).hasSize(2);
        String stats = gateway.stats();
        assertThat(stats).contains("cluster." + CLUSTER + ".upstream_rq_pending_overflow: 1")
                .contains("windlass.upstream_rq_pending_overflow: 1")
                .containsPattern("cluster\\." + java.util.regex.Pattern.quote(CLUSTER) + "\\.upstream_cx_overflow: [12]\n");
        assertThat(awaitAccessLog(3)).containsPattern("\"GET /sleep/700 HTTP/1.1\" 503 UO ");
    }

    @Test
    void beyondMaxRequestsARequestOverflowsAt503UOWithoutWaiting() throws Exception {
        serve(CircuitBreakers.Thresholds.newBuilder().setMaxRequests(UInt32Value.of(1)), 0);
        List<RawHttp.Response> responses = gateway.concurrently(2, "/sleep/800");
        assertThat(responses).extracting(RawHttp.Response::status).containsExactlyInAnyOrder(200, 503);
        assertThat(gateway.stats()).contains("cluster." + CLUSTER + ".upstream_rq_pending_overflow: 1");
        // The place comes back when the request ends.
        assertThat(gateway.get("/").status()).isEqualTo(200);
    }

    @Test
    void withinTheLimitsNothingOverflows() throws Exception {
        serve(CircuitBreakers.Thresholds.newBuilder().setMaxConnections(UInt32Value.of(1))
                .setMaxPendingRequests(UInt32Value.of(4)), 0);
        assertThat(gateway.concurrently(3, "/sleep/200")).extracting(RawHttp.Response::status).containsOnly(200);
        assertThat(gateway.stats()).contains("cluster." + CLUSTER + ".upstream_rq_pending_overflow: 0");
    }

    @Test
    void maxRequestsPerConnectionOneOpensANewUpstreamConnectionPerRequest() throws Exception {
        serve(CircuitBreakers.Thresholds.newBuilder(), 1);
        for (int i = 0; i < 3; i++) {
            assertThat(gateway.get("/").status()).isEqualTo(200);
        }
        assertThat(upstream.seen()).extracting(s -> s.remote().getPort()).doesNotHaveDuplicates().hasSize(3);
    }

    @Test
    void withoutALimitUpstreamConnectionsAreReused() throws Exception {
        serve(CircuitBreakers.Thresholds.newBuilder(), 0);
        for (int i = 0; i < 6; i++) {
            assertThat(gateway.get("/").status()).isEqualTo(200);
        }
        // One pool per event loop (two workers): at most two connections for six requests.
        assertThat(upstream.seen().stream().map(s -> s.remote().getPort()).distinct().count()).isLessThanOrEqualTo(2);
    }

    @Test
    void anIdleUpstreamConnectionClosesAfterTheIdleTimeout() throws Exception {
        serve(CircuitBreakers.Thresholds.newBuilder(), 0, com.google.protobuf.Duration.newBuilder().setNanos(100_000_000).build(),
                Resources.routes("80", Resources.virtualHost("app", List.of("*"), CLUSTER)));
        for (int i = 0; i < 5; i++) {
            assertThat(gateway.get("/").status()).isEqualTo(200);
            Thread.sleep(400);
        }
        // Without it, at most one connection per event loop (two) would serve them all.
        assertThat(upstream.seen()).extracting(s -> s.remote().getPort()).doesNotHaveDuplicates().hasSize(5);
    }

    @Test
    void beyondMaxRetriesAFailedAttemptIsNotRetriedAndTheOverflowIsCounted() throws Exception {
        serve(CircuitBreakers.Thresholds.newBuilder().setMaxRetries(UInt32Value.of(0)), 0, null, retryingRoutes());
        assertThat(gateway.get("/status/503").status()).isEqualTo(503);
        assertThat(upstream.seen()).hasSize(1);
        assertThat(gateway.stats()).contains("cluster." + CLUSTER + ".upstream_rq_retry_overflow: 1");
    }

    @Test
    void withinMaxRetriesTheRetriesAreMade() throws Exception {
        serve(CircuitBreakers.Thresholds.newBuilder().setMaxRetries(UInt32Value.of(1)), 0, null, retryingRoutes());
        assertThat(gateway.get("/status/503").status()).isEqualTo(503);
        // One retry at a time: each held place is given back when its attempt ends, so all three are made.
        assertThat(upstream.seen()).hasSize(4);
        assertThat(gateway.stats()).contains("cluster." + CLUSTER + ".upstream_rq_retry_overflow: 0");
    }

    /** Every request to the cluster, retried up to three times on 5xx. */
    private static RouteConfiguration retryingRoutes() {
        var retry = io.envoyproxy.envoy.config.route.v3.RetryPolicy.newBuilder().setRetryOn("5xx")
                .setNumRetries(UInt32Value.of(3));
        var route = io.envoyproxy.envoy.config.route.v3.Route.newBuilder()
                .setMatch(io.envoyproxy.envoy.config.route.v3.RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(io.envoyproxy.envoy.config.route.v3.RouteAction.newBuilder().setCluster(CLUSTER).setRetryPolicy(retry));
        return RouteConfiguration.newBuilder().setName("80").addVirtualHosts(
                io.envoyproxy.envoy.config.route.v3.VirtualHost.newBuilder().setName("app").addDomains("*").addRoutes(route)).build();
    }

    private String awaitAccessLog(int lines) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (Files.exists(accessLog) && Files.readAllLines(accessLog).size() >= lines) {
                break;
            }
            Thread.sleep(50);
        }
        return Files.readString(accessLog);
    }
}
