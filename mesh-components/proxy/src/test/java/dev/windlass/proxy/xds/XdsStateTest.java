package dev.windlass.proxy.xds;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.StringValue;
import dev.windlass.proxy.config.ClusterConfig;
import dev.windlass.proxy.config.ConfigSnapshot;
import dev.windlass.proxy.config.OutlierDetectors;
import dev.windlass.proxy.config.InvalidConfigException;
import dev.windlass.proxy.config.NetworkAction;
import dev.windlass.proxy.testing.Resources;
import dev.windlass.proxy.testing.TestMesh;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Snapshot building from protos, subscriptions derived from them, and refusal of invalid resources. */
class XdsStateTest {
    private static List<Any> pack(Message... messages) {
        return Stream.of(messages).map(Any::pack).toList();
    }

    private static XdsState meshState() throws InvalidConfigException {
        XdsState state = new XdsState();
        state.accept(ResourceType.CDS, "1", pack(Resources.edsCluster(TestMesh.REVIEWS), Resources.h2Cluster("grpc"),
                Resources.originalDst("PassthroughCluster"), Resources.blackHole()));
        state.accept(ResourceType.LDS, "1", pack(Resources.virtualOutbound(15001), Resources.httpListener(80),
                Resources.tcpListener(5432, "db"), Resources.virtualInbound(15006, List.of(9080))));
        return state;
    }

    @Test
    void clustersAndListenersTranslateAndDriveTheEdsAndRdsSubscriptions() throws Exception {
        XdsState state = meshState();
        assertThat(state.subscription(ResourceType.EDS)).containsExactly("grpc", TestMesh.REVIEWS);
        // Inline inbound routes need no RDS.
        assertThat(state.subscription(ResourceType.RDS)).containsExactly("80");
        assertThat(state.complete()).isFalse();
        assertThat(state.missing()).isEqualTo("EDS grpc, EDS " + TestMesh.REVIEWS + ", RDS 80");

        state.accept(ResourceType.EDS, "1", pack(Resources.endpoints(TestMesh.REVIEWS, "reviews-v1", "10.1.0.1:9080"),
                Resources.endpoints("grpc", "g", "10.1.0.2:50051")));
        state.accept(ResourceType.RDS, "1", pack(Resources.routes("80",
                Resources.virtualHost("reviews", List.of("reviews"), TestMesh.REVIEWS))));
        assertThat(state.complete()).isTrue();
    }

    @Test
    void theSnapshotHoldsTheTranslatedModel() throws Exception {
        XdsState state = meshState();
        state.accept(ResourceType.EDS, "3", pack(Resources.endpoints(TestMesh.REVIEWS, "reviews-v1", "10.1.0.1:9080")));
        ConfigSnapshot snapshot = state.snapshot(new OutlierDetectors());
        assertThat(snapshot.cluster("grpc").protocol()).isEqualTo(ClusterConfig.Protocol.HTTP2);
        assertThat(snapshot.cluster("PassthroughCluster").type()).isEqualTo(ClusterConfig.Type.ORIGINAL_DST);
        assertThat(snapshot.balancer(TestMesh.REVIEWS).endpoints()).singleElement()
                .satisfies(e -> assertThat(e.workload()).isEqualTo("reviews-v1"));
        assertThat(snapshot.listenerFor("10.0.0.10", 80).name()).isEqualTo("0.0.0.0_80");
        assertThat(snapshot.listener("0.0.0.0_5432").chains().getFirst().action())
                .isEqualTo(new NetworkAction.Tcp("db", "db"));
        assertThat(snapshot.versions()).containsEntry(ResourceType.EDS.typeUrl(), "3");
    }

    @Test
    void anHttpConnectionManagerWithoutRoutesIsRefusedAndTheOldStateKept() throws Exception {
        XdsState state = meshState();
        Listener broken = Listener.newBuilder().setName("0.0.0.0_80").addFilterChains(FilterChain.newBuilder()
                .addFilters(Filter.newBuilder().setName("hcm").setTypedConfig(Any.pack(
                        HttpConnectionManager.newBuilder().setStatPrefix("x").build())))).build();
        assertThatThrownBy(() -> state.accept(ResourceType.LDS, "2", pack(broken)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("listener 0.0.0.0_80: HttpConnectionManager references no route configuration");
        assertThat(state.version(ResourceType.LDS)).isEqualTo("1");
        assertThat(state.snapshot(new OutlierDetectors()).listeners()).containsKeys("virtualOutbound", "0.0.0.0_5432");
    }

    @Test
    void aCustomClusterTypeIsRefused() throws Exception {
        XdsState state = meshState();
        Cluster custom = Cluster.newBuilder().setName("odd").setClusterType(Cluster.CustomClusterType.newBuilder()
                .setName("envoy.clusters.redis")).build();
        assertThatThrownBy(() -> state.accept(ResourceType.CDS, "2", pack(custom)))
                .hasMessageContaining("cluster odd: unsupported cluster type envoy.clusters.redis");
        assertThat(state.snapshot(new OutlierDetectors()).clusters()).containsKey(TestMesh.REVIEWS);
    }

    @Test
    void anUnparsableRegexInRoutesIsRefused() throws Exception {
        XdsState state = meshState();
        var routes = Resources.routes("80", Resources.virtualHost("h", List.of("*"), "c").toBuilder()
                .addRoutes(Route.newBuilder().setMatch(RouteMatch.newBuilder()
                        .setSafeRegex(RegexMatcher.newBuilder().setRegex("[a-")))
                        .setRoute(io.envoyproxy.envoy.config.route.v3.RouteAction.newBuilder().setCluster("c"))).build());
        assertThatThrownBy(() -> state.accept(ResourceType.RDS, "1", pack(routes))).hasMessageContaining("invalid regex");
        assertThat(state.received(ResourceType.RDS)).isFalse();
    }

    @Test
    void aResourceOfTheWrongTypeIsRefused() throws Exception {
        XdsState state = new XdsState();
        assertThatThrownBy(() -> state.accept(ResourceType.CDS, "1", List.of(Any.pack(StringValue.of("x")))))
                .hasMessageContaining("in a CDS response");
    }

    @Test
    void removedClustersDropTheirEndpoints() throws Exception {
        XdsState state = meshState();
        state.accept(ResourceType.EDS, "1", pack(Resources.endpoints(TestMesh.REVIEWS, "r", "10.1.0.1:9080")));
        state.accept(ResourceType.CDS, "2", pack(Resources.originalDst("PassthroughCluster")));
        assertThat(state.subscription(ResourceType.EDS)).isEqualTo(Set.of());
        assertThat(state.snapshot(new OutlierDetectors()).raw().get(ResourceType.EDS.typeUrl())).isEmpty();
    }
}
