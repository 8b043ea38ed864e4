package dev.windlass.proxy.it;

import dev.windlass.proxy.testing.Resources;
import dev.windlass.proxy.testing.RoutedGateway;
import dev.windlass.proxy.testing.TestUpstream;
import dev.windlass.proxy.xds.ResourceType;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow start through a real proxy: a round-robin cluster with a 1 s slow_start_window serves endpoint {@code old};
 * a config update adds {@code new}, which right after joining takes well under its equal share, and once out of its
 * window about half, while {@code old} (present before the update) keeps its age.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SlowStartProxyTest {
    private static final String CLUSTER = "outbound|80||app.test.svc.cluster.local";
    private static final long WINDOW_MILLIS = 1000;

    private TestUpstream old;
    private TestUpstream young;
    private RoutedGateway gateway;

    @BeforeEach
    void start() throws Exception {
        old = new TestUpstream("old");
        young = new TestUpstream("new");
        gateway = new RoutedGateway();
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        old.close();
        young.close();
    }

    private static Cluster cluster(String... endpoints) {
        Cluster.Builder cluster = Resources.edsCluster(CLUSTER).toBuilder().clearEdsClusterConfig()
                .setType(Cluster.DiscoveryType.STATIC)
                .setLoadAssignment(Resources.endpoints(CLUSTER, "app", endpoints));
        cluster.getRoundRobinLbConfigBuilder().getSlowStartConfigBuilder()
                .setSlowStartWindow(com.google.protobuf.Duration.newBuilder().setNanos((int) (WINDOW_MILLIS * 1_000_000)));
        return cluster.build();
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS) // about 4 s: start, two 1 s windows, 80 counted requests
    void aJoiningEndpointRampsUpOverTheWindow() throws Exception {
        var routes = Resources.routes("80", Resources.virtualHost("app", List.of("*"), CLUSTER));
        gateway.serve(routes, cluster(old.address()));
        // Out of its own window before the other joins, so that the two join times differ by more than a window;
        // the requests meanwhile warm the path up, so that the counted ones below are quick.
        long served = System.nanoTime();
        while (System.nanoTime() - served < TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS + 50)) {
            assertThat(gateway.get("/").header("x-upstream")).isEqualTo("old");
        }
        gateway.serve(routes, cluster(old.address(), young.address()));
        gateway.ads.awaitRequest(r -> r.getTypeUrl().equals(ResourceType.CDS.typeUrl()) && r.getVersionInfo().equals("2"),
                Duration.ofSeconds(5));
        long joined = System.nanoTime();
        // For half the window: each request's chance to reach new is at most w / (1 + w), w = max(0.1, age / window)
        // at its end (old has full weight); without slow start round robin would give new every other request.
        int early = 0;
        int requests = 0;
        double expected = 0;
        double variance = 0;
        while (System.nanoTime() - joined < TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS / 2)) {
            early += toNew(1);
            requests++;
            double w = Math.max(0.1, (System.nanoTime() - joined) / (WINDOW_MILLIS * 1e6));
            expected += w / (1 + w);
            variance += w / (1 + w) * (1 - w / (1 + w));
        }
        assertThat(requests).isGreaterThanOrEqualTo(10);
        assertThat(early).isLessThanOrEqualTo((int) (expected + 3 * Math.sqrt(variance)) + 1)
                .isLessThan(requests / 2 - 1);

        Thread.sleep(Math.max(0, WINDOW_MILLIS + 50 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - joined)));
        // Out of the window: plain round robin, every other request.
        assertThat(toNew(20)).isBetween(9, 11);
    }

    /** How many of {@code n} requests {@code new} answered. */
    private int toNew(int n) throws Exception {
        int count = 0;
        for (int i = 0; i < n; i++) {
            var response = gateway.get("/");
            assertThat(response.status()).isEqualTo(200);
            count += "new".equals(response.header("x-upstream")) ? 1 : 0;
        }
        return count;
    }
}
