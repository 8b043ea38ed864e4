package dev.windlass.proxy.config;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Outlier state across config updates: kept while the policy stays, started afresh when it changes, dropped with the cluster. */
class OutlierDetectorsTest {
    private static final String NAME = "outbound|80||httpbin.od.svc.cluster.local";
    private final OutlierDetectors detectors = new OutlierDetectors();

    @AfterEach
    void close() {
        detectors.close();
    }

    private static ClusterConfig cluster(int consecutive5xx) throws Exception {
        return ClusterTranslator.translate(Cluster.newBuilder().setName(NAME).setType(Cluster.DiscoveryType.STATIC)
                .setOutlierDetection(OutlierDetection.newBuilder().setEnforcingSuccessRate(UInt32Value.of(0))
                        .setConsecutive5Xx(UInt32Value.of(consecutive5xx)).setMaxEjectionPercent(UInt32Value.of(100)))
                .build());
    }

    @Test
    void anEjectionOutlivesAnEndpointUpdateButNotAPolicyChange() throws Exception {
        UpstreamEndpoint a = new UpstreamEndpoint("10.0.0.1", 80, true, "a", "od", "v1");
        UpstreamEndpoint b = new UpstreamEndpoint("10.0.0.2", 80, true, "b", "od", "v1");
        ClusterConfig config = cluster(1);
        LoadBalancer first = new LoadBalancer(config, List.of(a, b), detectors.of(config));
        first.response(0, 500);
        assertThat(first.ejected(0)).isTrue();

        // A new snapshot (the same policy, one endpoint more): the host is still ejected.
        UpstreamEndpoint c = new UpstreamEndpoint("10.0.0.3", 80, true, "c", "od", "v1");
        LoadBalancer second = new LoadBalancer(config, List.of(a, b, c), detectors.of(cluster(1)));
        assertThat(second.ejected(0)).isTrue();
        assertThat(detectors.ejectionsActive()).isEqualTo(1);
        for (int i = 0; i < 6; i++) {
            int picked = second.pick();
            assertThat(picked).isNotZero();
            second.release(picked);
        }

        // A changed policy is a new detector, as Envoy builds a new cluster.
        ClusterConfig changed = cluster(3);
        LoadBalancer third = new LoadBalancer(changed, List.of(a, b, c), detectors.of(changed));
        assertThat(third.ejected(0)).isFalse();

        detectors.retain(Set.of());
        assertThat(detectors.detectors()).isEmpty();
    }
}
