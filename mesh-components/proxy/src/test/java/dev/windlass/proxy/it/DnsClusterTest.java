package dev.windlass.proxy.it;

import com.google.protobuf.Duration;
import dev.windlass.proxy.testing.RawHttp;
import dev.windlass.proxy.testing.Resources;
import dev.windlass.proxy.testing.RoutedGateway;
import dev.windlass.proxy.testing.TestDnsServer;
import dev.windlass.proxy.testing.TestUpstream;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DNS clusters (a ServiceEntry's DNS and DNS_ROUND_ROBIN resolution) on real sockets: the proxy resolves the names
 * itself, against a real DNS server, and follows a changed answer when the TTL runs out, not before. Upstreams
 * listen on 127.0.0.1 and 127.0.0.2, so which one answered tells which address the name resolved to.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DnsClusterTest {
    private static final String CLUSTER = "outbound|80||ext.test";

    private TestDnsServer dns;
    private RoutedGateway gateway;
    private TestUpstream a;
    private TestUpstream b;

    @BeforeEach
    void start() throws Exception {
        dns = new TestDnsServer();
        gateway = new RoutedGateway(dns.provider());
        a = new TestUpstream("A", "127.0.0.1", 0);
        b = new TestUpstream("B", "127.0.0.2", a.port());
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        a.close();
        b.close();
        dns.close();
    }

    private static Cluster dnsCluster(Cluster.DiscoveryType type, boolean respectTtl, int port, String... names) {
        LocalityLbEndpoints.Builder endpoints = LocalityLbEndpoints.newBuilder();
        for (String name : names) {
            endpoints.addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder()
                    .setAddress(Resources.address(name, port))));
        }
        return Cluster.newBuilder().setName(CLUSTER).setType(type)
                .setConnectTimeout(Duration.newBuilder().setSeconds(1))
                .setDnsLookupFamily(Cluster.DnsLookupFamily.V4_ONLY).setRespectDnsTtl(respectTtl)
                .setDnsRefreshRate(Duration.newBuilder().setSeconds(60))
                .setLoadAssignment(ClusterLoadAssignment.newBuilder().setClusterName(CLUSTER).addEndpoints(endpoints))
                .build();
    }

    private void serve(Cluster cluster) throws Exception {
        gateway.serve(Resources.routes("80", Resources.virtualHost("ext", List.of("*"), CLUSTER)), cluster);
    }

    /** {@code ext.test} resolves to {@code ips} with {@code ttl}; served as a DNS cluster; once {@code first} answers. */
    private void resolving(int ttl, Cluster.DiscoveryType type, boolean respectTtl, String first, String... ips)
            throws Exception {
        dns.answer("ext.test", ttl, ips);
        serve(dnsCluster(type, respectTtl, a.port(), "ext.test"));
        awaitAnswer(first, 5_000);
    }

    private String answer() throws IOException {
        RawHttp.Response response = gateway.get("/");
        return response.status() == 200 ? response.body() : String.valueOf(response.status());
    }

    /** Polls until the answer is {@code expected}; returns the milliseconds it took. */
    private long awaitAnswer(String expected, long timeoutMillis) throws Exception {
        long start = System.nanoTime();
        while (!answer().equals(expected)) {
            assertThat((System.nanoTime() - start) / 1_000_000).as("waiting for " + expected).isLessThan(timeoutMillis);
            Thread.sleep(50);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void strictDnsFollowsAChangedAnswerOnceItsTtlRunsOut() throws Exception {
        resolving(1, Cluster.DiscoveryType.STRICT_DNS, true, "A", "127.0.0.1");
        dns.answer("ext.test", 1, "127.0.0.2");
        assertThat(awaitAnswer("B", 5_000)).isLessThan(2_500);
        assertThat(dns.queries("ext.test")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aLongTtlIsHonouredTheNameIsNotAskedAgainBeforeItRunsOut() throws Exception {
        resolving(30, Cluster.DiscoveryType.STRICT_DNS, true, "A", "127.0.0.1");
        int asked = dns.queries("ext.test");
        dns.answer("ext.test", 30, "127.0.0.2");
        long until = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < until) {
            assertThat(answer()).isEqualTo("A");
            Thread.sleep(100);
        }
        assertThat(dns.queries("ext.test")).isEqualTo(asked);
    }

    @Test
    void withoutRespectDnsTtlTheRefreshRateRules() throws Exception {
        resolving(1, Cluster.DiscoveryType.STRICT_DNS, false, "A", "127.0.0.1");
        dns.answer("ext.test", 1, "127.0.0.2");
        Thread.sleep(2_500);
        assertThat(answer()).isEqualTo("A");
        assertThat(dns.queries("ext.test")).isEqualTo(1);
    }

    @Test
    void strictDnsBalancesOverEveryAddressOfEveryName() throws Exception {
        resolving(30, Cluster.DiscoveryType.STRICT_DNS, true, "A", "127.0.0.1", "127.0.0.2");
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            seen.merge(answer(), 1, Integer::sum);
        }
        assertThat(seen).containsOnlyKeys("A", "B");
        assertThat(seen.get("A")).isEqualTo(10);
    }

    @Test
    void logicalDnsUsesTheFirstAddressOnly() throws Exception {
        resolving(30, Cluster.DiscoveryType.LOGICAL_DNS, true, "B", "127.0.0.2", "127.0.0.1");
        for (int i = 0; i < 10; i++) {
            assertThat(answer()).isEqualTo("B");
        }
    }

    @Test
    void aNameThatStopsExistingEmptiesTheCluster() throws Exception {
        resolving(1, Cluster.DiscoveryType.STRICT_DNS, true, "A", "127.0.0.1");
        dns.answer("other.test", 1, "127.0.0.1");
        dns.forget("ext.test");
        awaitAnswer("503", 5_000);
    }
}
