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
 * Consistent hashing through a real proxy to three real upstreams: a RING_HASH (or MAGLEV) cluster and a route whose
 * hash policy names the key, as Istio writes a DestinationRule's consistentHash: a header, a cookie (generated with
 * its ttl when absent), the source address, a query parameter.
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
        serve(hashPolicy, Cluster.newBuilder().setLbPolicy(Cluster.LbPolicy.RING_HASH).build());
    }

    /** The three upstreams as a STATIC cluster with the load balancing of {@code lb}. */
    private void serve(RouteAction.HashPolicy hashPolicy, Cluster lb) throws Exception {
        Cluster cluster = Resources.edsCluster(CLUSTER).toBuilder().clearEdsClusterConfig().mergeFrom(lb)
                .setType(Cluster.DiscoveryType.STATIC)
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

    /** Whether the requests each with its own value of a key (from {@code keyed}) stick and spread. */
    private void sticksAndSpreads(java.util.function.IntFunction<String> keyed) throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            String first = upstreamFor(keyed.apply(i));
            assertThat(upstreamFor(keyed.apply(i))).as("key %d", i).isEqualTo(first);
            seen.add(first);
        }
        assertThat(seen).as("30 keys over three endpoints").hasSize(3);
    }

    @Test
    void aMaglevTableKeepsOneKeyOnOneEndpointAndSpreadsKeys() throws Exception {
        serve(header("x-user"), Cluster.newBuilder().setLbPolicy(Cluster.LbPolicy.MAGLEV).setMaglevLbConfig(
                Cluster.MaglevLbConfig.newBuilder().setTableSize(com.google.protobuf.UInt64Value.of(251))).build());
        sticksAndSpreads(i -> "x-user: user-" + i);
        assertThat(gateway.proxy.admin("/config_dump")).contains("MAGLEV");
    }

    @Test
    void aCookieKeyHashesItsValueAndWithATtlTheProxySetsAMissingOne() throws Exception {
        serve(RouteAction.HashPolicy.newBuilder().setCookie(RouteAction.HashPolicy.Cookie.newBuilder().setName("session")
                .setPath("/").setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(600))).build());
        sticksAndSpreads(i -> "Cookie: theme=dark; session=s-" + i);
        assertThat(upstreamFor("Cookie: session=\"s-7\"")).as("a quoted value hashes as the bare one")
                .isEqualTo(upstreamFor("Cookie: session=s-7; theme=dark"));
        RawHttp.Response first = gateway.get("/");
        String setCookie = first.header("set-cookie");
        assertThat(setCookie).matches("session=[0-9a-f]{16}; Path=/; Max-Age=600; HttpOnly");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        for (int i = 0; i < 10; i++) {
            RawHttp.Response replay = gateway.get("/", "Cookie: " + cookie);
            assertThat(replay.header("x-upstream")).isEqualTo(first.header("x-upstream"));
            assertThat(replay.header("set-cookie")).as("the cookie is there: none set").isNull();
        }
    }

    @Test
    void aZeroTtlGeneratesASessionCookieWithoutMaxAge() throws Exception {
        serve(RouteAction.HashPolicy.newBuilder().setCookie(RouteAction.HashPolicy.Cookie.newBuilder().setName("s")
                .setTtl(com.google.protobuf.Duration.getDefaultInstance())).build());
        assertThat(gateway.get("/").header("set-cookie")).matches("s=[0-9a-f]{16}; HttpOnly");
    }

    @Test
    void aCookieKeyWithoutTtlLeavesRequestsWithoutItToChance() throws Exception {
        serve(RouteAction.HashPolicy.newBuilder().setCookie(RouteAction.HashPolicy.Cookie.newBuilder().setName("session")).build());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            RawHttp.Response response = gateway.get("/");
            assertThat(response.header("set-cookie")).isNull();
            seen.add(response.header("x-upstream"));
        }
        assertThat(seen).hasSizeGreaterThan(1);
    }

    @Test
    void aQueryParameterKeyHashesItsValue() throws Exception {
        serve(RouteAction.HashPolicy.newBuilder().setQueryParameter(
                RouteAction.HashPolicy.QueryParameter.newBuilder().setName("user")).build());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            String first = gateway.get("/items?page=1&user=u" + i).header("x-upstream");
            assertThat(gateway.get("/other?user=u" + i + "&page=2").header("x-upstream")).as("u%d", i).isEqualTo(first);
            seen.add(first);
        }
        assertThat(seen).as("30 values over three endpoints").hasSize(3);
    }

    @Test
    void aSourceIpKeyHashesTheClientAddress() throws Exception {
        serve(RouteAction.HashPolicy.newBuilder().setConnectionProperties(
                RouteAction.HashPolicy.ConnectionProperties.newBuilder().setSourceIp(true)).build());
        Set<String> seen = new HashSet<>();
        for (int client = 2; client < 32; client++) {
            String from = "127.0.0." + client;
            String first = fromClient(from);
            assertThat(fromClient(from)).as(from).isEqualTo(first);
            seen.add(first);
        }
        assertThat(seen).as("30 client addresses over three endpoints").hasSize(3);
    }

    private String fromClient(String address) throws Exception {
        try (java.net.Socket socket = gateway.connectFrom(address)) {
            RawHttp.Response response = RawHttp.send(socket, RawHttp.get("/", "app.test:80", "Connection: close"));
            assertThat(response.status()).isEqualTo(200);
            return response.header("x-upstream");
        }
    }

    @Test
    void aHashPolicyOtherThanOneKeyIsRefused() throws Exception {
        serve(header("x-user"));
        RouteConfiguration cookie = RouteConfiguration.newBuilder().setName("80").addVirtualHosts(
                Resources.virtualHost("app", List.of("*"), CLUSTER).toBuilder().setRoutes(0,
                        Resources.virtualHost("app", List.of("*"), CLUSTER).getRoutes(0).toBuilder().setRoute(
                                RouteAction.newBuilder().setCluster(CLUSTER).addHashPolicy(RouteAction.HashPolicy.newBuilder()
                                        .setFilterState(RouteAction.HashPolicy.FilterState.newBuilder().setKey("k")))))).build();
        gateway.ads.set(dev.windlass.proxy.xds.ResourceType.RDS, "2", cookie);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!gateway.stats().contains("control_plane.nack: 1") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(gateway.stats()).contains("control_plane.nack: 1")
                .contains("hash_policy other than one header, cookie, source_ip or query parameter is not supported by Windlass");
    }
}
