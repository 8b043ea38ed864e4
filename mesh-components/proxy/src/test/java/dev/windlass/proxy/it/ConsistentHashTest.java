package dev.windlass.proxy.it;

import dev.windlass.proxy.testing.RawHttp;
import dev.windlass.proxy.testing.Resources;
import dev.windlass.proxy.testing.RoutedGateway;
import dev.windlass.proxy.testing.TestUpstream;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consistent hashing by a request header through a real proxy to three real upstreams: a RING_HASH cluster and a
 * route whose hash policy names the header (as Istio writes a DestinationRule's consistentHash.httpHeaderName).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsistentHashTest {
    private static final String CLUSTER = "outbound|80||app.test.svc.cluster.local";

    private final List<TestUpstream> upstreams = new ArrayList<>();
    private RoutedGateway gateway;

    @BeforeEach
    void start() throws Exception {
        for (String name : List.of("a", "b", "c")) {
            upstreams.add(new TestUpstream(name));
        }
        gateway = new RoutedGateway();
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        for (TestUpstream upstream : upstreams) {
            upstream.close();
        }
    }

    private void serve(RouteAction.HashPolicy hashPolicy) throws Exception {
        Cluster cluster = Resources.edsCluster(CLUSTER).toBuilder().clearEdsClusterConfig()
                .setType(Cluster.DiscoveryType.STATIC).setLbPolicy(Cluster.LbPolicy.RING_HASH)
                .setLoadAssignment(Resources.endpoints(CLUSTER, "app",
                        upstreams.stream().map(TestUpstream::address).toArray(String[]::new))).build();
        VirtualHost.Builder host = Resources.virtualHost("app", List.of("*"), CLUSTER).toBuilder();
        host.getRoutesBuilder(0).getRouteBuilder().addHashPolicy(hashPolicy);
        gateway.serve(RouteConfiguration.newBuilder().setName("80").addVirtualHosts(host).build(), cluster);
    }

    private static RouteAction.HashPolicy header(String name) {
        return RouteAction.HashPolicy.newBuilder().setHeader(RouteAction.HashPolicy.Header.newBuilder().setHeaderName(name)).build();
    }

    private String upstreamFor(String... headers) throws Exception {
        RawHttp.Response response = gateway.get("/", headers);
        assertThat(response.status()).isEqualTo(200);
        return response.header("x-upstream");
    }

    @Test
    void oneHeaderValueAlwaysReachesOneEndpointAndDifferentValuesSpread() throws Exception {
        serve(header("x-user"));
        Set<String> alice = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            alice.add(upstreamFor("x-user: alice"));
        }
        assertThat(alice).hasSize(1);
        Set<String> users = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            String user = "user-" + i;
            String first = upstreamFor("X-User: " + user);
            assertThat(upstreamFor("x-user: " + user)).as(user).isEqualTo(first);
            users.add(first);
        }
        assertThat(users).as("30 keys over three endpoints").hasSize(3);
    }

    @Test
    void withoutTheHeaderRequestsAreSpreadAtRandom() throws Exception {
        serve(header("x-user"));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            seen.add(upstreamFor());
        }
        assertThat(seen).hasSizeGreaterThan(1);
    }

    @Test
    void aHashPolicyOtherThanAHeaderIsRefused() throws Exception {
        serve(header("x-user"));
        RouteConfiguration cookie = RouteConfiguration.newBuilder().setName("80").addVirtualHosts(
                Resources.virtualHost("app", List.of("*"), CLUSTER).toBuilder().setRoutes(0,
                        Resources.virtualHost("app", List.of("*"), CLUSTER).getRoutes(0).toBuilder().setRoute(
                                RouteAction.newBuilder().setCluster(CLUSTER).addHashPolicy(RouteAction.HashPolicy.newBuilder()
                                        .setCookie(RouteAction.HashPolicy.Cookie.newBuilder().setName("session")))))).build();
        gateway.ads.set(dev.windlass.proxy.xds.ResourceType.RDS, "2", cookie);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!gateway.stats().contains("control_plane.nack: 1") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(gateway.stats()).contains("control_plane.nack: 1")
                .contains("hash_policy other than one request header is not supported by Windlass");
    }
}
