package dev.windlass.proxy.config;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The connection manager's downstream timeouts as the listener translator reads them: Envoy's defaults when
 * absent (Windlass's own for request_headers_timeout), 0 disabling each, negative durations and the common HTTP
 * options Windlass does not implement refused with their path.
 */
class HttpTimeoutsTest {
    private static HttpTimeouts timeouts(HttpConnectionManager.Builder hcm) throws InvalidConfigException {
        hcm.setStatPrefix("p").setRds(Rds.newBuilder().setRouteConfigName("80"));
        Listener listener = Listener.newBuilder().setName("l").addFilterChains(FilterChain.newBuilder().setName("c")
                .addFilters(Filter.newBuilder().setName("hcm").setTypedConfig(Any.pack(hcm.build())))).build();
        return ((NetworkAction.Http) ListenerTranslator.translate(listener).chains().getFirst().action()).timeouts();
    }

    private static Duration millis(long millis) {
        return Duration.newBuilder().setSeconds(millis / 1000).setNanos((int) (millis % 1000) * 1_000_000).build();
    }

    @Test
    void absentFieldsTakeTheDefaults() throws Exception {
        assertThat(timeouts(HttpConnectionManager.newBuilder())).isEqualTo(HttpTimeouts.DEFAULT)
                .isEqualTo(new HttpTimeouts(10_000_000_000L, 0, 300_000_000_000L, 3_600_000_000_000L));
    }

    @Test
    void eachFieldIsRead() throws Exception {
        HttpTimeouts read = timeouts(HttpConnectionManager.newBuilder().setRequestHeadersTimeout(millis(2500))
                .setRequestTimeout(millis(30_000)).setStreamIdleTimeout(millis(1500))
                .setCommonHttpProtocolOptions(HttpProtocolOptions.newBuilder().setIdleTimeout(millis(60_000))));
        assertThat(read).isEqualTo(new HttpTimeouts(2_500_000_000L, 30_000_000_000L, 1_500_000_000L, 60_000_000_000L));
    }

    @Test
    void zeroDisablesEachAndHugeValuesAreCappedNotOverflowed() throws Exception {
        Duration zero = Duration.getDefaultInstance();
        assertThat(timeouts(HttpConnectionManager.newBuilder().setRequestHeadersTimeout(zero).setRequestTimeout(zero)
                .setStreamIdleTimeout(zero).setCommonHttpProtocolOptions(HttpProtocolOptions.newBuilder().setIdleTimeout(zero))))
                .isEqualTo(new HttpTimeouts(0, 0, 0, 0));
        long idle = timeouts(HttpConnectionManager.newBuilder()
                .setStreamIdleTimeout(Duration.newBuilder().setSeconds(315_576_000_000L))).streamIdleNanos();
        assertThat(idle).isPositive().isLessThan(Long.MAX_VALUE / 2);
    }

    @Test
    void negativeDurationsAreRefusedWithTheirPath() {
        Duration negative = Duration.newBuilder().setSeconds(-1).build();
        assertThatThrownBy(() -> timeouts(HttpConnectionManager.newBuilder().setRequestHeadersTimeout(negative)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("listener l chain c: HttpConnectionManager.request_headers_timeout must be");
        assertThatThrownBy(() -> timeouts(HttpConnectionManager.newBuilder().setStreamIdleTimeout(
                Duration.newBuilder().setNanos(-5)))).hasMessageContaining("HttpConnectionManager.stream_idle_timeout");
        assertThatThrownBy(() -> timeouts(HttpConnectionManager.newBuilder().setRequestTimeout(negative)))
                .hasMessageContaining("HttpConnectionManager.request_timeout");
        assertThatThrownBy(() -> timeouts(HttpConnectionManager.newBuilder().setCommonHttpProtocolOptions(
                HttpProtocolOptions.newBuilder().setIdleTimeout(negative))))
                .hasMessageContaining("HttpConnectionManager.common_http_protocol_options.idle_timeout");
    }

    @Test
    void commonHttpOptionsOtherThanIdleTimeoutAreRefused() {
        assertThatThrownBy(() -> timeouts(HttpConnectionManager.newBuilder().setCommonHttpProtocolOptions(
                HttpProtocolOptions.newBuilder().setIdleTimeout(millis(1000)).setMaxConnectionDuration(millis(5000)))))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining(
                        "common_http_protocol_options: HttpProtocolOptions.max_connection_duration is not supported by Windlass");
        assertThatThrownBy(() -> timeouts(HttpConnectionManager.newBuilder().setCommonHttpProtocolOptions(
                HttpProtocolOptions.newBuilder().setMaxHeadersCount(UInt32Value.of(50)))))
                .hasMessageContaining("HttpProtocolOptions.max_headers_count is not supported by Windlass");
    }
}
