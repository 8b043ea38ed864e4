package dev.windlass.proxy.it;

import com.google.protobuf.UInt32Value;
import dev.windlass.proxy.testing.Resources;
import dev.windlass.proxy.testing.RoutedGateway;
import dev.windlass.proxy.testing.TcpEchoServer;
import dev.windlass.proxy.xds.ResourceType;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.type.v3.Percent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outlier detection on a TCP proxy, as Envoy's tcp_proxy feeds it: connect failures to an endpoint that refuses
 * connections count (as 503s when local-origin errors are not split) and eject it; connections then go to the
 * endpoint that accepts them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpOutlierDetectionTest {
    private static final String CLUSTER = "outbound|9000||echo.test.svc.cluster.local";

    private TcpEchoServer echo;
    private RoutedGateway gateway;

    @BeforeEach
    void start() throws Exception {
        echo = new TcpEchoServer("A");
        gateway = new RoutedGateway();
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        echo.close();
    }

    @Test
    void anEndpointRefusingConnectionsIsEjectedAfterItsConnectFailures() throws Exception {
        String refusing = "127.0.0.1:" + RoutedGateway.freePort();
        OutlierDetection.Builder outlier = OutlierDetection.newBuilder().setEnforcingSuccessRate(UInt32Value.of(0))
                .setConsecutive5Xx(UInt32Value.of(2)).setMaxEjectionPercent(UInt32Value.of(100))
                .setBaseEjectionTime(com.google.protobuf.Duration.newBuilder().setSeconds(30));
        Cluster.Builder cluster = Resources.edsCluster(CLUSTER).toBuilder().clearEdsClusterConfig()
                .setType(Cluster.DiscoveryType.STATIC).setOutlierDetection(outlier)
                .setLoadAssignment(Resources.endpoints(CLUSTER, "echo", refusing, "127.0.0.1:" + echo.port()));
        cluster.getCommonLbConfigBuilder().setHealthyPanicThreshold(Percent.newBuilder());
        gateway.ads.set(ResourceType.CDS, "1", cluster.build());
        gateway.ads.set(ResourceType.LDS, "1", Resources.tcpListener(gateway.port, CLUSTER).toBuilder()
                .clearBindToPort().setAddress(Resources.address("127.0.0.1", gateway.port)).build());
        gateway.proxy.awaitReady(Duration.ofSeconds(10));

        List<String> replies = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            replies.add(firstBytes());
        }
        // Round robin: the refusing endpoint is tried twice (closed at once, no bytes), then ejected.
        assertThat(replies.subList(0, 4)).containsExactlyInAnyOrder("A:", "A:", "", "");
        assertThat(replies.subList(4, 10)).containsOnly("A:");
        assertThat(gateway.proxy.admin("/clusters")).contains(CLUSTER + "::" + refusing + "::health_flags::/failed_outlier_check\n");
        assertThat(gateway.stats()).contains("cluster." + CLUSTER + ".outlier_detection.ejections_enforced_consecutive_5xx: 1\n");
    }

    /** The echo server's greeting, or "" when the proxy closed (or reset) the connection without one. */
    private String firstBytes() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(2), StandardCharsets.US_ASCII);
        } catch (java.net.SocketException e) {
            return "";
        }
    }

    /** The listener may take a moment to bind after the proxy is ready. */
    private Socket connect() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return gateway.connect();
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }
}
