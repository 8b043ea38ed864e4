package dev.windlass.proxy.config;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.UpstreamConnectionOptions;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.TcpKeepalive;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A cluster's tcp_keepalive and max_connection_duration as the proxy reads them, and what it refuses. */
class UpstreamOptionsTest {
    private static Cluster.Builder cluster() {
        return Cluster.newBuilder().setName("outbound|80||app.test.svc.cluster.local").setType(Cluster.DiscoveryType.STATIC);
    }

    @Test
    void keepaliveAndMaxConnectionDurationAreRead() throws Exception {
        var common = HttpProtocolOptions.newBuilder()
                .setMaxConnectionDuration(com.google.protobuf.Duration.newBuilder().setSeconds(30));
        var options = io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.newBuilder()
                .setCommonHttpProtocolOptions(common).build();
        Cluster cluster = cluster().setUpstreamConnectionOptions(UpstreamConnectionOptions.newBuilder()
                        .setTcpKeepalive(TcpKeepalive.newBuilder().setKeepaliveTime(UInt32Value.of(7200))))
                .putTypedExtensionProtocolOptions(ClusterTranslator.HTTP_OPTIONS_KEY, Any.pack(options)).build();
        assertThat(ClusterTranslator.translate(cluster).upstream())
                .isEqualTo(new UpstreamOptions(new UpstreamOptions.Keepalive(0, 7200, 0), 30_000));
        assertThat(ClusterTranslator.translate(cluster().build()).upstream()).isEqualTo(UpstreamOptions.NONE);
    }

    @Test
    void aKeepaliveValueTheKernelRefusesIsRefused() {
        Cluster zero = cluster().setUpstreamConnectionOptions(UpstreamConnectionOptions.newBuilder()
                .setTcpKeepalive(TcpKeepalive.newBuilder().setKeepaliveInterval(UInt32Value.of(0)))).build();
        assertThatThrownBy(() -> ClusterTranslator.translate(zero)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("keepalive_interval: 0 is not within 1..32767");
        Cluster many = cluster().setUpstreamConnectionOptions(UpstreamConnectionOptions.newBuilder()
                .setTcpKeepalive(TcpKeepalive.newBuilder().setKeepaliveProbes(UInt32Value.of(128)))).build();
        assertThatThrownBy(() -> ClusterTranslator.translate(many)).hasMessageContaining("keepalive_probes: 128");
    }

    @Test
    void anotherUpstreamConnectionOptionIsRefused() {
        Cluster other = cluster().setUpstreamConnectionOptions(UpstreamConnectionOptions.newBuilder()
                .setSetLocalInterfaceNameOnUpstreamConnections(true)).build();
        assertThatThrownBy(() -> ClusterTranslator.translate(other)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("set_local_interface_name_on_upstream_connections is not supported by Windlass");
    }
}
