package dev.windlass.proxy.config;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A cluster's circuit breakers and connection settings as the discovery server writes them, translated. */
class ClusterLimitsTest {
    private static Cluster.Builder cluster() {
        return Cluster.newBuilder().setName("outbound|80||httpbin.cb.svc.cluster.local").setType(Cluster.DiscoveryType.STATIC);
    }

    @Test
    void withoutSettingsEverythingIsUnlimitedAndTheConnectTimeoutIsTenSeconds() throws Exception {
        assertThat(ClusterTranslator.translate(cluster().build()).limits()).isEqualTo(ClusterConfig.Limits.NONE);
    }

    @Test
    void thresholdsConnectTimeoutAndRequestsPerConnectionAreRead() throws Exception {
        var options = io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.newBuilder()
                .setCommonHttpProtocolOptions(HttpProtocolOptions.newBuilder().setMaxRequestsPerConnection(UInt32Value.of(1))
                        .setIdleTimeout(Duration.newBuilder().setSeconds(1).setNanos(500_000_000)))
                .setExplicitHttpConfig(io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.ExplicitHttpConfig
                        .newBuilder().setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance())).build();
        Cluster c = cluster().setConnectTimeout(Duration.newBuilder().setNanos(250_000_000))
                .setCircuitBreakers(CircuitBreakers.newBuilder()
                        .addThresholds(CircuitBreakers.Thresholds.newBuilder().setPriority(RoutingPriority.HIGH)
                                .setMaxConnections(UInt32Value.of(99)))
                        .addThresholds(CircuitBreakers.Thresholds.newBuilder().setMaxConnections(UInt32Value.of(1))
                                .setMaxPendingRequests(UInt32Value.of(2)).setMaxRequests(UInt32Value.of(10))
                                .setMaxRetries(UInt32Value.of(3))))
                .putTypedExtensionProtocolOptions(ClusterTranslator.HTTP_OPTIONS_KEY, Any.pack(options)).build();
        ClusterConfig config = ClusterTranslator.translate(c);
        assertThat(config.limits()).isEqualTo(new ClusterConfig.Limits(1, 2, 10, 3, 1, 250, 1500));
        assertThat(config.protocol()).isEqualTo(ClusterConfig.Protocol.HTTP2);
    }

    @Test
    void aThresholdTheProxyDoesNotEnforceIsRefused() {
        Cluster c = cluster().setCircuitBreakers(CircuitBreakers.newBuilder().addThresholds(
                CircuitBreakers.Thresholds.newBuilder().setTrackRemaining(true))).build();
        assertThatThrownBy(() -> ClusterTranslator.translate(c)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("Thresholds.track_remaining is not supported by Windlass");
    }
}
