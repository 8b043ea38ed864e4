package dev.windlass.proxy.it;

import com.google.protobuf.UInt32Value;
import dev.windlass.proxy.testing.RawHttp;
import dev.windlass.proxy.testing.Resources;
import dev.windlass.proxy.testing.RoutedGateway;
import dev.windlass.proxy.testing.TestUpstream;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.type.v3.Percent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outlier detection through a real proxy on loopback to two real upstreams, one of them faulty: the faulty host is
 * ejected after its consecutive errors, the other takes all the traffic, /clusters and /stats show it, and the host
 * returns after its ejection time (base × times ejected); max_ejection_percent, the panic threshold, gateway
 * errors and local-origin failures as Envoy counts them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OutlierDetectionTest {
    private static final String CLUSTER = "outbound|80||app.test.svc.cluster.local";

    private TestUpstream good;
    private TestUpstream bad;
    private RoutedGateway gateway;

    @BeforeEach
    void start() throws Exception {
        good = new TestUpstream("good");
        bad = new TestUpstream("bad");
        bad.answerAll(500);
        gateway = new RoutedGateway();
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        good.close();
        bad.close();
    }

    /** Istio's form: success rate off, the given 5xx count enforced, interval and base time in ms, a panic threshold. */
    private static OutlierDetection.Builder outlier(int consecutive5xx, long intervalMillis, long baseMillis) {
        return OutlierDetection.newBuilder().setEnforcingSuccessRate(UInt32Value.of(0))
                .setConsecutive5Xx(UInt32Value.of(consecutive5xx))
                .setEnforcingConsecutive5Xx(UInt32Value.of(consecutive5xx > 0 ? 100 : 0))
                .setInterval(millis(intervalMillis)).setBaseEjectionTime(millis(baseMillis));
    }

    private static com.google.protobuf.Duration millis(long millis) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(millis / 1000).setNanos((int) (millis % 1000) * 1_000_000).build();
    }

    private void serve(OutlierDetection.Builder outlier, double panicThreshold, String... addresses) throws Exception {
        Cluster.Builder cluster = Resources.edsCluster(CLUSTER).toBuilder().clearEdsClusterConfig()
                .setType(Cluster.DiscoveryType.STATIC)
                .setLoadAssignment(Resources.endpoints(CLUSTER, "app", addresses))
                .setOutlierDetection(outlier);
        cluster.getCommonLbConfigBuilder().setHealthyPanicThreshold(Percent.newBuilder().setValue(panicThreshold));
        gateway.serve(Resources.routes("80", Resources.virtualHost("app", List.of("*"), CLUSTER)), cluster.build());
    }

    private List<String> upstreamsOf(int requests) throws Exception {
        List<String> answered = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            RawHttp.Response response = gateway.get("/");
            answered.add(response.status() + " " + response.header("x-upstream"));
        }
        return answered;
    }

    private String clusters() throws Exception {
        return gateway.proxy.admin("/clusters");
    }

    @Test
    void aHostAnswering5xxIsEjectedTheOtherTakesTheTrafficAndTheHostReturnsAfterItsEjectionTime() throws Exception {
        serve(outlier(1, 100, 1000).setMaxEjectionPercent(UInt32Value.of(100)), 0, good.address(), bad.address());
        // Round robin: the second request at the latest reaches the bad host, whose first 500 ejects it.
        List<String> first = upstreamsOf(2);
        long ejectedAt = System.nanoTime();
        assertThat(first).containsExactlyInAnyOrder("200 good", "500 bad");
        assertThat(upstreamsOf(10)).containsOnly("200 good");
        assertThat(clusters()).contains(CLUSTER + "::" + bad.address() + "::health_flags::/failed_outlier_check\n")
                .contains(CLUSTER + "::" + good.address() + "::health_flags::healthy\n");
        assertThat(gateway.stats()).contains("cluster." + CLUSTER + ".outlier_detection.ejections_active: 1\n")
                .contains("cluster." + CLUSTER + ".outlier_detection.ejections_total: 1\n")
                .contains("cluster." + CLUSTER + ".outlier_detection.ejections_enforced_consecutive_5xx: 1\n")
                .contains("windlass.outlier_detection.ejections_active: 1\n");
        bad.answerAll(0);
        while (clusters().contains("/failed_outlier_check")) {
            Thread.sleep(20);
        }
        long out = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - ejectedAt);
        // Back at the first sweep (every 100 ms) after the base ejection time of 1 s.
        assertThat(out).isBetween(1000L, 1600L);
        assertThat(upstreamsOf(4)).containsExactlyInAnyOrder("200 good", "200 good", "200 bad", "200 bad");
        assertThat(gateway.stats()).contains("cluster." + CLUSTER + ".outlier_detection.ejections_active: 0\n");
    }

    @Test
    void aHostEjectedAgainStaysOutForTwiceTheBaseTime() throws Exception {
        serve(outlier(1, 100, 600).setMaxEjectionPercent(UInt32Value.of(100)), 0, good.address(), bad.address());
        // Steady traffic: the bad host is hit (and ejected) whenever it is in the set.
        List<Long> badHits = new ArrayList<>();
        long start = System.nanoTime();
        while (badHits.size() < 3 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
            if (gateway.get("/").status() == 500) {
                badHits.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
            Thread.sleep(10);
        }
        assertThat(badHits).hasSize(3);
        long firstEjection = badHits.get(1) - badHits.get(0);
        long secondEjection = badHits.get(2) - badHits.get(1);
        assertThat(firstEjection).isBetween(600L, 1100L);
        assertThat(secondEjection).isGreaterThanOrEqualTo(1200L);
        assertThat(gateway.stats()).contains("cluster." + CLUSTER + ".outlier_detection.ejections_total: 3\n");
    }

    @Test
    void maxEjectionPercentStillEjectsOneHostAndCountsTheOverflow() throws Exception {
        good.answerAll(500);
        // Envoy's default of 10%: of two hosts one may be ejected, never both.
        serve(outlier(1, 100, 30_000), 0, good.address(), bad.address());
        assertThat(upstreamsOf(6)).extracting(s -> s.substring(0, 3)).containsOnly("500");
        String stats = gateway.stats();
        assertThat(stats).contains("cluster." + CLUSTER + ".outlier_detection.ejections_active: 1\n")
                .containsPattern("outlier_detection\\.ejections_overflow: [1-9]");
    }

    @Test
    void withEveryHostEjectedAndNoPanicThresholdThereIsNoHealthyUpstream() throws Exception {
        good.answerAll(503);
        serve(outlier(1, 100, 30_000).setMaxEjectionPercent(UInt32Value.of(100)), 0, good.address(), bad.address());
        upstreamsOf(2);
        RawHttp.Response none = gateway.get("/");
        assertThat(none.status()).isEqualTo(503);
        assertThat(none.body()).isEqualTo("no healthy upstream");
        assertThat(gateway.stats()).contains("cluster." + CLUSTER + ".outlier_detection.ejections_active: 2\n");
    }

    @Test
    void belowThePanicThresholdEjectedHostsAreUsedAgain() throws Exception {
        // One of two hosts left is 50%, below a threshold of 60%: Envoy balances over all hosts in panic.
        serve(outlier(1, 100, 30_000).setMaxEjectionPercent(UInt32Value.of(100)), 60, good.address(), bad.address());
        upstreamsOf(2);
        assertThat(clusters()).contains("/failed_outlier_check");
        assertThat(upstreamsOf(6)).contains("500 bad", "200 good");
    }

    @Test
    void gatewayErrorsEjectOnTheirOwnCountWhile500sDoNot() throws Exception {
        serve(outlier(0, 100, 30_000).setConsecutiveGatewayFailure(UInt32Value.of(2))
                .setEnforcingConsecutiveGatewayFailure(UInt32Value.of(100)).setMaxEjectionPercent(UInt32Value.of(100)),
                0, bad.address(), good.address());
        upstreamsOf(8);
        assertThat(clusters()).doesNotContain("/failed_outlier_check");
        bad.answerAll(502);
        upstreamsOf(4);
        assertThat(clusters()).contains(CLUSTER + "::" + bad.address() + "::health_flags::/failed_outlier_check\n");
        assertThat(gateway.stats()).contains("outlier_detection.ejections_enforced_consecutive_gateway_failure: 1\n");
    }

    @Test
    void connectFailuresCountAsLocalOriginFailuresWhenSplitElseAs503s() throws Exception {
        String closed = "127.0.0.1:" + RoutedGateway.freePort();
        serve(outlier(0, 100, 30_000).setSplitExternalLocalOriginErrors(true)
                .setConsecutiveLocalOriginFailure(UInt32Value.of(2)).setEnforcingLocalOriginSuccessRate(UInt32Value.of(0))
                .setMaxEjectionPercent(UInt32Value.of(100)), 0, closed, good.address());
        assertThat(upstreamsOf(4)).contains("503 null", "200 good");
        assertThat(clusters()).contains(CLUSTER + "::" + closed + "::health_flags::/failed_outlier_check\n");
        assertThat(upstreamsOf(4)).containsOnly("200 good");
        assertThat(gateway.stats()).contains("ejections_enforced_consecutive_local_origin_failure: 1\n");
    }
}
