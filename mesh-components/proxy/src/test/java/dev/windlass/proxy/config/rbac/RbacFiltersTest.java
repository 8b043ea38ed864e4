package dev.windlass.proxy.config.rbac;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import dev.windlass.proxy.config.FilterChain;
import dev.windlass.proxy.config.InvalidConfigException;
import dev.windlass.proxy.config.ListenerTranslator;
import dev.windlass.proxy.config.NetworkAction;
import dev.windlass.proxy.testing.Resources;
import io.envoyproxy.envoy.config.core.v3.ExtensionConfigSource;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.windlass.proxy.testing.RbacResources.anyPrincipal;
import static dev.windlass.proxy.testing.RbacResources.exact;
import static dev.windlass.proxy.testing.RbacResources.hcm;
import static dev.windlass.proxy.testing.RbacResources.httpRbac;
import static dev.windlass.proxy.testing.RbacResources.method;
import static dev.windlass.proxy.testing.RbacResources.networkRbac;
import static dev.windlass.proxy.testing.RbacResources.policy;
import static dev.windlass.proxy.testing.RbacResources.port;
import static dev.windlass.proxy.testing.RbacResources.rules;
import static dev.windlass.proxy.testing.RbacResources.urlPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The RBAC filters of a listener as Istio places them, found by {@link ListenerTranslator}, and what is refused. */
class RbacFiltersTest {
    private static final RBAC DENY_ADMIN = rules(RBAC.Action.DENY, "ns[shop]-policy[no-admin]-rule[0]",
            policy(urlPath(exact("/admin")), anyPrincipal()));
    private static final RBAC ALLOW_GET = rules(RBAC.Action.ALLOW, "ns[shop]-policy[get]-rule[0]",
            policy(method("GET"), anyPrincipal()));

    private static FilterChain chain(Filter... filters) throws InvalidConfigException {
        Listener listener = Listener.newBuilder().setName("0.0.0.0_9080").setAddress(Resources.address("0.0.0.0", 9080))
                .addFilterChains(io.envoyproxy.envoy.config.listener.v3.FilterChain.newBuilder()
                        .addAllFilters(List.of(filters))).build();
        return ListenerTranslator.translate(listener).chains().getFirst();
    }

    @Test
    void httpRbacFiltersAreKeptInTheirOrderAndOtherHttpFiltersIgnored() throws Exception {
        HttpFilter cors = HttpFilter.newBuilder().setName("envoy.filters.http.cors")
                .setTypedConfig(Any.pack(io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors.getDefaultInstance())).build();
        FilterChain chain = chain(hcm("9080", List.of(cors, httpRbac(DENY_ADMIN), httpRbac(ALLOW_GET))));
        List<RbacRules> rbac = ((NetworkAction.Http) chain.action()).rbac();
        assertThat(rbac).extracting(RbacRules::action).containsExactly(RbacRules.Action.DENY, RbacRules.Action.ALLOW);
        assertThat(rbac.getFirst().policies()).extracting(RbacPolicy::name)
                .containsExactly("ns[shop]-policy[no-admin]-rule[0]");
        assertThat(chain.networkRbac()).isEmpty();
    }

    @Test
    void networkRbacFiltersBeforeTheTerminalFilterBelongToTheChain() throws Exception {
        Filter metadataExchange = Filter.newBuilder().setName("istio.metadata_exchange").build();
        FilterChain tcp = chain(metadataExchange, networkRbac(rules(RBAC.Action.ALLOW, "p", policy(port(9000), anyPrincipal()))),
                Resources.tcpProxy("outbound|9000||echo"));
        assertThat(tcp.networkRbac()).hasSize(1);
        assertThat(tcp.action()).isInstanceOf(NetworkAction.Tcp.class);
        FilterChain http = chain(networkRbac(DENY_ADMIN), hcm("9080", List.of()));
        assertThat(http.networkRbac()).hasSize(1);
        assertThat(((NetworkAction.Http) http.action()).rbac()).isEmpty();
    }

    @Test
    void anRbacFilterWithoutRulesEnforcesNothing() throws Exception {
        HttpFilter shadowOnly = HttpFilter.newBuilder().setName("envoy.filters.http.rbac").setTypedConfig(Any.pack(
                io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder().setShadowRules(ALLOW_GET).build())).build();
        assertThat(((NetworkAction.Http) chain(hcm("9080", List.of(shadowOnly))).action()).rbac()).isEmpty();
    }

    @Test
    void whatWindlassCannotEnforceAsEnvoyIsRefused() {
        HttpFilter ecds = HttpFilter.newBuilder().setName("envoy.filters.http.rbac")
                .setConfigDiscovery(ExtensionConfigSource.newBuilder().setConfigSource(Resources.ads())).build();
        assertThatThrownBy(() -> chain(hcm("9080", List.of(ecds))))
                .hasMessageContaining("http filter envoy.filters.http.rbac: only an inline typed_config");
        HttpFilter disabled = httpRbac(ALLOW_GET).toBuilder().setDisabled(true).build();
        assertThatThrownBy(() -> chain(hcm("9080", List.of(disabled))))
                .hasMessageContaining("a disabled RBAC filter is not supported by Windlass");
        Filter continuous = network(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.newBuilder().setRules(ALLOW_GET)
                .setEnforcementType(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.EnforcementType.CONTINUOUS));
        assertThatThrownBy(() -> chain(continuous, Resources.tcpProxy("c")))
                .hasMessageContaining("RBAC enforcement_type CONTINUOUS is not supported by Windlass");
        Filter delayed = network(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.newBuilder().setRules(ALLOW_GET)
                .setDelayDeny(Duration.newBuilder().setSeconds(1)));
        assertThatThrownBy(() -> chain(delayed, Resources.tcpProxy("c")))
                .hasMessageContaining("RBAC delay_deny is not supported by Windlass");
        RBAC sni = RBAC.newBuilder().putPolicies("p", policy(io.envoyproxy.envoy.config.rbac.v3.Permission.newBuilder()
                .setRequestedServerName(exact("a")).build(), anyPrincipal())).build();
        assertThatThrownBy(() -> chain(networkRbac(sni), Resources.tcpProxy("c"))).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("listener 0.0.0.0_9080: network filter envoy.filters.network.rbac policy p: "
                        + "permission requested_server_name is not supported by Windlass");
    }

    private static Filter network(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.Builder rbac) {
        return Filter.newBuilder().setName("envoy.filters.network.rbac").setTypedConfig(Any.pack(rbac.setStatPrefix("t").build()))
                .build();
    }
}
