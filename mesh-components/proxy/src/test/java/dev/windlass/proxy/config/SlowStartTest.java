package dev.windlass.proxy.config;

import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.RuntimeDouble;
import io.envoyproxy.envoy.type.v3.Percent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Slow start as a pure weight function, as join times kept across updates, and as picks of a real balancer whose
 * endpoints joined at chosen instants; and the cluster fields it comes from.
 */
class SlowStartTest {
    private static final long WINDOW = TimeUnit.SECONDS.toNanos(10);
    private static final UpstreamEndpoint OLD = new UpstreamEndpoint("10.0.0.1", 80, true, "old", "ns", "v1");
    private static final UpstreamEndpoint NEW = new UpstreamEndpoint("10.0.0.2", 80, true, "new", "ns", "v1");

    @Test
    void theWeightRampsLinearlyFromTheMinimumToFullOverTheWindow() {
        assertThat(SlowStartWeights.factor(0, WINDOW, 1.0, 0.1)).isEqualTo(0.1);
        assertThat(SlowStartWeights.factor(WINDOW / 20, WINDOW, 1.0, 0.1)).isEqualTo(0.1);
        assertThat(SlowStartWeights.factor(WINDOW / 4, WINDOW, 1.0, 0.1)).isCloseTo(0.25, within(1e-9));
        assertThat(SlowStartWeights.factor(WINDOW / 2, WINDOW, 1.0, 0.1)).isCloseTo(0.5, within(1e-9));
        assertThat(SlowStartWeights.factor(WINDOW, WINDOW, 1.0, 0.1)).isEqualTo(1.0);
        assertThat(SlowStartWeights.factor(WINDOW * 3, WINDOW, 1.0, 0.1)).isEqualTo(1.0);
        // Aggression 2: the square root, faster at first; a minimum of 0 keeps Envoy's 1 ms floor of age.
        assertThat(SlowStartWeights.factor(WINDOW / 4, WINDOW, 2.0, 0.1)).isCloseTo(0.5, within(1e-9));
        assertThat(SlowStartWeights.factor(0, WINDOW, 1.0, 0.0)).isCloseTo(1e-4, within(1e-12));
    }

    @Test
    void anEndpointKeepsItsJoinTimeAcrossUpdatesAndStartsAgainAfterLeaving() {
        EndpointAges ages = new EndpointAges();
        ClusterConfig cluster = cluster(Cluster.LbPolicy.ROUND_ROBIN);
        assertThat(ages.joined(cluster, List.of(OLD), 100)).isEqualTo(Map.of(OLD.address(), 100L));
        assertThat(ages.joined(cluster, List.of(OLD, NEW), 200)).isEqualTo(Map.of(OLD.address(), 100L, NEW.address(), 200L));
        assertThat(ages.joined(cluster, List.of(NEW), 300)).isEqualTo(Map.of(NEW.address(), 200L));
        assertThat(ages.joined(cluster, List.of(OLD, NEW), 400)).isEqualTo(Map.of(OLD.address(), 400L, NEW.address(), 200L));
        ages.retain(java.util.Set.of());
        assertThat(ages.joined(cluster, List.of(NEW), 500)).isEqualTo(Map.of(NEW.address(), 500L));
    }

    @Test
    void aNewEndpointTakesLittleEarlyInItsWindowAndNearlyItsShareLate() {
        for (Cluster.LbPolicy policy : List.of(Cluster.LbPolicy.ROUND_ROBIN, Cluster.LbPolicy.LEAST_REQUEST)) {
            long now = System.nanoTime();
            // Just joined: weight 0.1 against 1.0, a share of about 9 %.
            assertThat(shareOfNew(policy, now - 10 * WINDOW, now)).as(policy.name()).isBetween(0.05, 0.14);
            // 80 % through the window: 0.8 against 1.0, about 44 %.
            assertThat(shareOfNew(policy, now - 10 * WINDOW, now - WINDOW * 8 / 10)).as(policy.name()).isBetween(0.38, 0.5);
        }
    }

    @Test
    void endpointsThatJoinedTogetherShareEquallyAsWithoutSlowStart() {
        long now = System.nanoTime();
        LoadBalancer balancer = new LoadBalancer(cluster(Cluster.LbPolicy.ROUND_ROBIN), List.of(OLD, NEW), null,
                Map.of(OLD.address(), now, NEW.address(), now));
        int[] picks = new int[2];
        for (int i = 0; i < 1000; i++) {
            int chosen = balancer.pick();
            picks[chosen]++;
            balancer.release(chosen);
        }
        // Plain round robin: strictly alternating.
        assertThat(picks).containsExactly(500, 500);
    }

    private static double shareOfNew(Cluster.LbPolicy policy, long oldJoined, long newJoined) {
        LoadBalancer balancer = new LoadBalancer(cluster(policy), List.of(OLD, NEW), null,
                Map.of(OLD.address(), oldJoined, NEW.address(), newJoined));
        int picks = 20_000;
        int ofNew = 0;
        for (int i = 0; i < picks; i++) {
            int chosen = balancer.pick();
            ofNew += balancer.endpoint(chosen) == NEW ? 1 : 0;
            balancer.release(chosen);
        }
        return (double) ofNew / picks;
    }

    private static ClusterConfig cluster(Cluster.LbPolicy policy) {
        Cluster.SlowStartConfig slowStart = Cluster.SlowStartConfig.newBuilder()
                .setSlowStartWindow(Duration.newBuilder().setSeconds(10)).build();
        Cluster.Builder cluster = Cluster.newBuilder().setName("outbound|80||app.ns.svc.cluster.local")
                .setType(Cluster.DiscoveryType.STATIC).setLbPolicy(policy);
        if (policy == Cluster.LbPolicy.LEAST_REQUEST) {
            cluster.getLeastRequestLbConfigBuilder().setSlowStartConfig(slowStart);
        } else {
            cluster.getRoundRobinLbConfigBuilder().setSlowStartConfig(slowStart);
        }
        try {
            return ClusterTranslator.translate(cluster.build());
        } catch (InvalidConfigException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theSlowStartConfigIsReadWithEnvoysDefaults() throws Exception {
        assertThat(cluster(Cluster.LbPolicy.ROUND_ROBIN).slowStart())
                .isEqualTo(new ClusterConfig.SlowStart(WINDOW, 1.0, 0.1));
        assertThat(cluster(Cluster.LbPolicy.LEAST_REQUEST).slowStart())
                .isEqualTo(new ClusterConfig.SlowStart(WINDOW, 1.0, 0.1));
        Cluster.Builder tuned = Cluster.newBuilder().setName("c").setType(Cluster.DiscoveryType.STATIC);
        tuned.getRoundRobinLbConfigBuilder().getSlowStartConfigBuilder()
                .setSlowStartWindow(Duration.newBuilder().setNanos(500_000_000))
                .setAggression(RuntimeDouble.newBuilder().setDefaultValue(2.0).setRuntimeKey("k"))
                .setMinWeightPercent(Percent.newBuilder().setValue(25));
        assertThat(ClusterTranslator.translate(tuned.build()).slowStart())
                .isEqualTo(new ClusterConfig.SlowStart(500_000_000L, 2.0, 0.25));
        assertThat(ClusterTranslator.translate(Cluster.newBuilder().setName("c").build()).slowStart()).isNull();
    }

    @Test
    void maxConcurrentStreamsIsReadFromTheHttp2Options() throws Exception {
        var options = io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.newBuilder()
                .setExplicitHttpConfig(io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.ExplicitHttpConfig
                        .newBuilder().setHttp2ProtocolOptions(Http2ProtocolOptions.newBuilder()
                                .setMaxConcurrentStreams(UInt32Value.of(7)))).build();
        ClusterConfig config = ClusterTranslator.translate(Cluster.newBuilder().setName("c")
                .putTypedExtensionProtocolOptions(ClusterTranslator.HTTP_OPTIONS_KEY, com.google.protobuf.Any.pack(options))
                .build());
        assertThat(config.protocol()).isEqualTo(ClusterConfig.Protocol.HTTP2);
        assertThat(config.limits().maxConcurrentStreams()).isEqualTo(7);
        assertThat(ClusterTranslator.translate(Cluster.newBuilder().setName("c").build()).limits().maxConcurrentStreams())
                .isEqualTo(ClusterConfig.Limits.UNLIMITED);
    }
}
