package dev.windlass.proxy.it;

import com.google.protobuf.UInt32Value;
import dev.windlass.proxy.testing.RawHttp;
import dev.windlass.proxy.testing.Resources;
import dev.windlass.proxy.testing.RoutedGateway;
import dev.windlass.proxy.testing.TestUpstream;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.type.v3.Percent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * EDS priorities and locality weights through a real proxy on loopback to real upstreams: traffic stays on the
 * highest priority while it is healthy, fails over when its hosts are ejected, spills over by Envoy's
 * overprovisioning factor (1.4) when part of a level is ejected, and shares a level's localities by their weights.
 * Shares are counted over a few hundred requests, with bounds far from what another rule would give.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalityPriorityTest {
    private static final String CLUSTER = "outbound|80||app.test.svc.cluster.local";

    private TestUpstream local;
    private TestUpstream local2;
    private TestUpstream remote;
    private RoutedGateway gateway;

    @BeforeEach
    void start() throws Exception {
        local = new TestUpstream("local");
        local2 = new TestUpstream("local2");
        remote = new TestUpstream("remote");
        gateway = new RoutedGateway();
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        local.close();
        local2.close();
        remote.close();
    }

    /** One locality group of the given endpoints, at {@code priority}, with a weight when above 0. */
    private static LocalityLbEndpoints group(int priority, int weight, String... addresses) {
        LocalityLbEndpoints.Builder group = Resources.endpoints(CLUSTER, "app", addresses).getEndpoints(0).toBuilder()
                .setPriority(priority);
        return weight > 0 ? group.setLoadBalancingWeight(UInt32Value.of(weight)).build() : group.build();
    }

    private void serve(LocalityLbEndpoints... groups) throws Exception {
        serve(0, groups);
    }

    private void serve(double panicThreshold, LocalityLbEndpoints... groups) throws Exception {
        OutlierDetection outlier = OutlierDetection.newBuilder().setEnforcingSuccessRate(UInt32Value.of(0))
                .setConsecutive5Xx(UInt32Value.of(1)).setEnforcingConsecutive5Xx(UInt32Value.of(100))
                .setInterval(com.google.protobuf.Duration.newBuilder().setSeconds(1))
                .setBaseEjectionTime(com.google.protobuf.Duration.newBuilder().setSeconds(60))
                .setMaxEjectionPercent(UInt32Value.of(100)).build();
        Cluster.Builder cluster = Resources.edsCluster(CLUSTER).toBuilder().clearEdsClusterConfig()
                .setType(Cluster.DiscoveryType.STATIC)
                .setLoadAssignment(ClusterLoadAssignment.newBuilder().setClusterName(CLUSTER).addAllEndpoints(List.of(groups)))
                .setOutlierDetection(outlier);
        cluster.getCommonLbConfigBuilder().setHealthyPanicThreshold(Percent.newBuilder().setValue(panicThreshold));
        gateway.serve(Resources.routes("80", Resources.virtualHost("app", List.of("*"), CLUSTER)), cluster.build());
    }

    /** Requests by answering upstream ("status name"). */
    private Map<String, Integer> countsOf(int requests) throws Exception {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < requests; i++) {
            RawHttp.Response response = gateway.get("/");
            counts.merge(response.status() + " " + response.header("x-upstream"), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void trafficStaysOnPriorityZeroThenFailsOverWhenItsHostIsEjected() throws Exception {
        serve(group(0, 0, local.address()), group(1, 0, remote.address()));
        assertThat(gateway.proxy.admin("/clusters")).contains(CLUSTER + "::" + local.address() + "::priority::0\n")
                .contains(CLUSTER + "::" + remote.address() + "::priority::1\n");
        assertThat(countsOf(20)).isEqualTo(Map.of("200 local", 20));

        local.answerAll(500);
        // The first 500 ejects the only priority-0 host: its health is 0, so priority 1 takes all the load.
        assertThat(countsOf(1)).isEqualTo(Map.of("500 local", 1));
        assertThat(countsOf(20)).isEqualTo(Map.of("200 remote", 20));
        assertThat(gateway.proxy.admin("/clusters"))
                .contains(CLUSTER + "::" + local.address() + "::health_flags::/failed_outlier_check\n");
    }

    @Test
    void aHalfEjectedPriorityKeepsSeventyPercentAndSpillsTheRestToTheNextOne() throws Exception {
        serve(group(0, 0, local.address(), local2.address()), group(1, 0, remote.address()));
        local2.answerAll(500);
        while (!countsOf(1).containsKey("500 local2")) {
            // Round robin reaches local2 within two requests; its first 500 ejects it.
        }
        local2.answerAll(0);
        // Priority 0: 1 of 2 hosts available, health min(100, 1.4 × 50) = 70; priority 1 takes the other 30.
        Map<String, Integer> counts = countsOf(400);
        assertThat(counts).containsOnlyKeys("200 local", "200 remote");
        assertThat(counts.get("200 remote")).isBetween(80, 160);
    }

    @Test
    void aPriorityBelowThePanicThresholdUsesItsEjectedHostsToo() throws Exception {
        serve(60, group(0, 0, local.address(), local2.address()), group(1, 0, remote.address()));
        local2.answerAll(500);
        while (!countsOf(1).containsKey("500 local2")) {
            // Round robin reaches local2 within two requests; its first 500 ejects it.
        }
        local2.answerAll(0);
        // Priority 0 has 50% of its hosts available, below 60%: in panic, local2 takes requests though ejected.
        Map<String, Integer> counts = countsOf(400);
        assertThat(counts).containsOnlyKeys("200 local", "200 local2", "200 remote");
        assertThat(counts.get("200 local2")).isBetween(60, 220);
        assertThat(counts.get("200 remote")).isBetween(80, 160);
    }

    @Test
    void withEveryHostEjectedAndNoPanicThresholdThereIsNoHealthyUpstream() throws Exception {
        serve(group(0, 0, local.address()), group(1, 0, remote.address()));
        local.answerAll(500);
        remote.answerAll(500);
        assertThat(countsOf(2)).isEqualTo(Map.of("500 local", 1, "500 remote", 1));
        RawHttp.Response response = gateway.get("/");
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.body()).contains("no healthy upstream");
    }

    @Test
    void aPrioritysLocalitiesShareItsTrafficByTheirWeights() throws Exception {
        serve(group(0, 80, local.address()), group(0, 20, remote.address()));
        Map<String, Integer> counts = countsOf(400);
        assertThat(counts).containsOnlyKeys("200 local", "200 remote");
        // 80/20 expects 80 remote of 400; round robin without weights would give 200.
        assertThat(counts.get("200 remote")).isBetween(45, 120);
    }
}
