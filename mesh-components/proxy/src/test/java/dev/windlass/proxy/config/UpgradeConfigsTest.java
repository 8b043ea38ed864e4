package dev.windlass.proxy.config;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.UpgradeConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The HCM's upgrade_configs: WebSocket (any case) compiles into the listener, anything else is refused (NACK), as
 * are a route's own upgrade_configs.
 */
class UpgradeConfigsTest {
    private static boolean websocket(UpgradeConfig... upgrades) throws InvalidConfigException {
        HttpConnectionManager.Builder hcm = HttpConnectionManager.newBuilder().setStatPrefix("p")
                .setRds(Rds.newBuilder().setRouteConfigName("80"));
        for (UpgradeConfig upgrade : upgrades) {
            hcm.addUpgradeConfigs(upgrade);
        }
        Listener listener = Listener.newBuilder().setName("l").addFilterChains(FilterChain.newBuilder()
                .addFilters(Filter.newBuilder().setName("hcm").setTypedConfig(Any.pack(hcm.build())))).build();
        return ((NetworkAction.Http) ListenerTranslator.translate(listener).chains().getFirst().action()).websocket();
    }

    private static UpgradeConfig.Builder type(String type) {
        return UpgradeConfig.newBuilder().setUpgradeType(type);
    }

    @Test
    void websocketIsOnlyOnWhenConfiguredAndEnabled() throws Exception {
        assertThat(websocket()).isFalse();
        assertThat(websocket(type("websocket").build())).isTrue();
        assertThat(websocket(type("WebSocket").setEnabled(BoolValue.of(true)).build())).isTrue();
        assertThat(websocket(type("websocket").setEnabled(BoolValue.of(false)).build())).isFalse();
    }

    @Test
    void otherUpgradeTypesAndUpgradeFiltersAreRefused() {
        assertThatThrownBy(() -> websocket(type("h2c").build())).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("upgrade_type \"h2c\" is not supported by Windlass");
        assertThatThrownBy(() -> websocket(type("CONNECT").build())).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("not supported by Windlass");
        assertThatThrownBy(() -> websocket(type("websocket").addFilters(HttpFilter.newBuilder().setName("f")).build()))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("UpgradeConfig.filters is not supported by Windlass");
    }

    @Test
    void routeLevelUpgradeConfigsAreRefused() {
        RouteConfiguration routes = RouteConfiguration.newBuilder().setName("80").addVirtualHosts(VirtualHost.newBuilder()
                .setName("vh").addDomains("*").addRoutes(Route.newBuilder().setName("ws")
                        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                        .setRoute(io.envoyproxy.envoy.config.route.v3.RouteAction.newBuilder().setCluster("c")
                                .addUpgradeConfigs(io.envoyproxy.envoy.config.route.v3.RouteAction.UpgradeConfig
                                        .newBuilder().setUpgradeType("websocket"))))).build();
        assertThatThrownBy(() -> RouteTranslator.translate(routes)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("RouteAction.upgrade_configs is not supported by Windlass");
    }
}
