package dev.windlass.proxy.config;

import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A route whose fields the proxy does not implement is refused (NACK) with the field's name, never half-applied. */
class RouteRefusalsTest {
    private static final RouteAction.Builder FORWARD = RouteAction.newBuilder().setCluster("outbound|80||a.default.svc.cluster.local");

    @Test
    void theRouteActionsImplementedFieldsAreAccepted() throws Exception {
        RouteTable table = RouteTranslator.translate(config(Route.newBuilder().setName("r")
                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(FORWARD.clone().setTimeout(Duration.newBuilder().setSeconds(3))
                        .setRetryPolicy(RetryPolicy.newBuilder().setRetryOn("5xx")))));
        assertThat(table.virtualHosts()).hasSize(1);
    }

    @Test
    void aRouteActionFieldNotImplementedIsRefusedByName() {
        assertRefused(FORWARD.clone().setIdleTimeout(Duration.newBuilder().setSeconds(5)), "RouteAction.idle_timeout");
        assertRefused(FORWARD.clone().setClusterNotFoundResponseCodeValue(1), "RouteAction.cluster_not_found_response_code");
        assertRefused(RouteAction.newBuilder().setWeightedClusters(WeightedCluster.newBuilder()
                .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName("a").setClusterHeader("x-cluster"))),
                "ClusterWeight.cluster_header");
        assertRefused(FORWARD.clone().setRetryPolicy(RetryPolicy.newBuilder().setRetryOn("5xx")
                .setPerTryIdleTimeout(Duration.newBuilder().setSeconds(1))), "RetryPolicy.per_try_idle_timeout");
        assertRefused(FORWARD.clone().setRetryPolicy(RetryPolicy.newBuilder().setRetryOn("5xx")
                .addRetryHostPredicate(RetryPolicy.RetryHostPredicate.newBuilder().setName("envoy.retry_host_predicates.omit_canary_hosts"))),
                "omit_canary_hosts");
        assertRefused(FORWARD.clone().addRequestMirrorPolicies(RouteAction.RequestMirrorPolicy.newBuilder().setCluster("m")
                .setTraceSampled(com.google.protobuf.BoolValue.of(true))), "RequestMirrorPolicy.trace_sampled");
    }

    @Test
    void aRouteOrMatchFieldNotImplementedIsRefusedByName() {
        Route.Builder route = Route.newBuilder().setName("r").setMatch(RouteMatch.newBuilder().setPrefix("/")).setRoute(FORWARD);
        assertThatThrownBy(() -> RouteTranslator.translate(config(route.clone().setPerRequestBufferLimitBytes(
                com.google.protobuf.UInt32Value.of(1024))))).hasMessageContaining("Route.per_request_buffer_limit_bytes is not supported by Windlass");
        assertThatThrownBy(() -> RouteTranslator.translate(config(route.clone().setMatch(RouteMatch.newBuilder().setPrefix("/")
                .setGrpc(RouteMatch.GrpcRouteMatchOptions.getDefaultInstance())))))
                .hasMessageContaining("RouteMatch.grpc is not supported by Windlass");
        assertThatThrownBy(() -> RouteTranslator.translate(config(route.clone().setMatch(RouteMatch.newBuilder().setPrefix("/")
                .addDynamicMetadata(io.envoyproxy.envoy.type.matcher.v3.MetadataMatcher.getDefaultInstance())))))
                .hasMessageContaining("RouteMatch.dynamic_metadata is not supported by Windlass");
    }

    private static void assertRefused(RouteAction.Builder action, String field) {
        assertThatThrownBy(() -> RouteTranslator.translate(config(Route.newBuilder().setName("r")
                .setMatch(RouteMatch.newBuilder().setPrefix("/")).setRoute(action))))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining(field);
    }

    private static RouteConfiguration config(Route.Builder route) {
        return RouteConfiguration.newBuilder().setName("80")
                .addVirtualHosts(VirtualHost.newBuilder().setName("a").addDomains("*").addRoutes(route)).build();
    }
}
