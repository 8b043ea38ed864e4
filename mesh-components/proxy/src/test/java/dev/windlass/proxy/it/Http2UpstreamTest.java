package dev.windlass.proxy.it;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import dev.windlass.proxy.testing.RawHttp;
import dev.windlass.proxy.testing.Resources;
import dev.windlass.proxy.testing.RoutedGateway;
import dev.windlass.proxy.testing.TestH2cUpstream;
import dev.windlass.proxy.testing.TestUpstream;
import dev.windlass.proxy.xds.ResourceType;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DestinationRule h2UpgradePolicy and maxConcurrentStreams as the discovery server writes them (explicit
 * http2_protocol_options, max_concurrent_streams), through a real proxy on loopback: an HTTP/1.1 client reaches an
 * h2c-only upstream when the cluster upgrades, a cluster that does not upgrade speaks HTTP/1.1, and a connection
 * takes at most max_concurrent_streams requests at once, new connections counting against max_connections.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Http2UpstreamTest {
    private static final String CLUSTER = "outbound|80||app.test.svc.cluster.local";

    private TestH2cUpstream h2c;
    private TestUpstream http1;
    private RoutedGateway gateway;

    @BeforeEach
    void start() throws Exception {
        h2c = new TestH2cUpstream("app");
        http1 = new TestUpstream("app-http1");
        gateway = new RoutedGateway();
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        h2c.close();
        http1.close();
    }

    /** A static cluster of one endpoint; h2c when {@code streams} is not null (0: no max_concurrent_streams). */
    private void serve(String endpoint, Integer streams, CircuitBreakers.Thresholds.Builder thresholds) throws Exception {
        Cluster.Builder cluster = Resources.edsCluster(CLUSTER).toBuilder().clearEdsClusterConfig()
                .setType(Cluster.DiscoveryType.STATIC)
                .setLoadAssignment(Resources.endpoints(CLUSTER, "app", endpoint));
        if (thresholds != null) {
            cluster.setCircuitBreakers(CircuitBreakers.newBuilder().addThresholds(thresholds));
        }
        if (streams != null) {
            Http2ProtocolOptions.Builder h2 = Http2ProtocolOptions.newBuilder();
            if (streams > 0) {
                h2.setMaxConcurrentStreams(UInt32Value.of(streams));
            }
            HttpProtocolOptions options = HttpProtocolOptions.newBuilder().setExplicitHttpConfig(
                    HttpProtocolOptions.ExplicitHttpConfig.newBuilder().setHttp2ProtocolOptions(h2)).build();
            cluster.putTypedExtensionProtocolOptions("envoy.extensions.upstreams.http.v3.HttpProtocolOptions", Any.pack(options));
        }
        gateway.serve(Resources.routes("80", Resources.virtualHost("app", List.of("*"), CLUSTER)), cluster.build());
    }

    @Test
    void anUpgradedClusterCarriesHttp1RequestsToAnH2cOnlyUpstream() throws Exception {
        serve(h2c.address(), 0, null);
        for (int i = 0; i < 3; i++) {
            RawHttp.Response response = gateway.get("/hello");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("h2c app");
        }
        assertThat(h2c.requests()).isEqualTo(3);
        assertThat(h2c.http1Requests()).isZero();
    }

    @Test
    void aClusterThatDoesNotUpgradeSpeaksHttp1() throws Exception {
        serve(http1.address(), null, null);
        RawHttp.Response response = gateway.get("/hello");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("app-http1");
        assertThat(http1.seen()).hasSize(1);
        // The same cluster towards the h2c-only upstream: an HTTP/1.1 request arrives there, in place of h2's preface.
        serve(h2c.address(), null, null);
        gateway.ads.awaitRequest(r -> r.getTypeUrl().equals(ResourceType.CDS.typeUrl()) && r.getVersionInfo().equals("2"),
                java.time.Duration.ofSeconds(5));
        var refused = gateway.get("/hello");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.body()).isNotEqualTo("h2c app");
        // The server counts the refused request as it fails the connection, maybe after the proxy answered.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (h2c.http1Requests() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(h2c.http1Requests()).isEqualTo(1);
        assertThat(h2c.requests()).isZero();
    }

    @Test
    void oneStreamPerConnectionOpensAConnectionPerConcurrentRequest() throws Exception {
        serve(h2c.address(), 1, null);
        assertThat(gateway.concurrently(3, "/sleep/600")).extracting(RawHttp.Response::status).containsOnly(200);
        assertThat(h2c.connections()).isEqualTo(3);
        assertThat(h2c.maxStreamsOnAConnection()).isEqualTo(1);
    }

    @Test
    void withMoreStreamsConcurrentRequestsShareAConnectionPerEventLoop() throws Exception {
        serve(h2c.address(), 10, null);
        assertThat(gateway.concurrently(4, "/sleep/600")).extracting(RawHttp.Response::status).containsOnly(200);
        // Two worker event loops, one connection each at most.
        assertThat(h2c.connections()).isBetween(1, 2);
        assertThat(h2c.maxStreamsOnAConnection()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void h2cConnectionsCountAgainstMaxConnections() throws Exception {
        serve(h2c.address(), 1, CircuitBreakers.Thresholds.newBuilder().setMaxConnections(UInt32Value.of(1))
                .setMaxPendingRequests(UInt32Value.of(1)));
        long start = System.nanoTime();
        List<RawHttp.Response> responses = gateway.concurrently(3, "/sleep/700");
        assertThat(responses).extracting(RawHttp.Response::status).containsExactlyInAnyOrder(200, 200, 503);
        assertThat(responses.stream().filter(r -> r.status() == 503).findFirst().orElseThrow()
                .header("x-envoy-overloaded")).isEqualTo("true");
        // One connection of one stream at a time: the waiting request ran after the first.
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(1400);
        assertThat(h2c.maxStreamsOnAConnection()).isEqualTo(1);
        assertThat(gateway.stats()).contains("cluster." + CLUSTER + ".upstream_rq_pending_overflow: 1");
    }

}
