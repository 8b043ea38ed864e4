package dev.windlass.proxy.config;

import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.type.v3.Percent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A cluster's outlier_detection as the discovery server writes it, with Envoy's defaults, translated. */
class OutlierPolicyTest {
    private static Cluster.Builder cluster() {
        return Cluster.newBuilder().setName("outbound|80||httpbin.od.svc.cluster.local").setType(Cluster.DiscoveryType.STATIC);
    }

    private static final OutlierDetection.Builder ISTIO_MINIMAL = OutlierDetection.newBuilder()
            .setEnforcingSuccessRate(UInt32Value.of(0));

    @Test
    void withoutOutlierDetectionThereIsNoPolicy() throws Exception {
        assertThat(ClusterTranslator.translate(cluster().build()).outlier()).isNull();
    }

    @Test
    void unsetFieldsTakeEnvoysDefaults() throws Exception {
        OutlierPolicy policy = ClusterTranslator.translate(cluster().setOutlierDetection(ISTIO_MINIMAL).build()).outlier();
        assertThat(policy).isEqualTo(new OutlierPolicy(5, 100, 5, 0, false, 5, 100, 10_000, 30_000, 300_000, 10, 50.0));
    }

    @Test
    void theSeedCircuitBreakersSettingsAreReadAndTheEjectionTimeGrowsUpToItsCap() throws Exception {
        Cluster c = cluster().setOutlierDetection(ISTIO_MINIMAL.clone().setConsecutive5Xx(UInt32Value.of(1))
                        .setEnforcingConsecutive5Xx(UInt32Value.of(100)).setInterval(Duration.newBuilder().setSeconds(1))
                        .setBaseEjectionTime(Duration.newBuilder().setSeconds(180)).setMaxEjectionPercent(UInt32Value.of(100)))
                .setCommonLbConfig(Cluster.CommonLbConfig.newBuilder().setHealthyPanicThreshold(Percent.newBuilder())).build();
        OutlierPolicy policy = ClusterTranslator.translate(c).outlier();
        assertThat(policy.consecutive5xx()).isEqualTo(1);
        assertThat(policy.intervalMillis()).isEqualTo(1000);
        assertThat(policy.maxEjectionPercent()).isEqualTo(100);
        assertThat(policy.panicThresholdPercent()).isZero();
        // max_ejection_time (300 s by default) caps the growth, but never below the base time.
        assertThat(policy.ejectionMillis(1)).isEqualTo(180_000);
        assertThat(policy.ejectionMillis(2)).isEqualTo(300_000);
    }

    @Test
    void successRateEjectionIsRefusedNotIgnored() {
        Cluster envoyDefault = cluster().setOutlierDetection(OutlierDetection.newBuilder().setConsecutive5Xx(UInt32Value.of(1))).build();
        assertThatThrownBy(() -> ClusterTranslator.translate(envoyDefault)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("enforcing_success_rate 100");
        Cluster stdev = cluster().setOutlierDetection(ISTIO_MINIMAL.clone().setSuccessRateStdevFactor(UInt32Value.of(1900))).build();
        assertThatThrownBy(() -> ClusterTranslator.translate(stdev)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("OutlierDetection.success_rate_stdev_factor is not supported by Windlass");
    }
}
