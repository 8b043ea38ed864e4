package dev.windlass.proxy.it;

import dev.windlass.proxy.testing.RawH2;
import dev.windlass.proxy.testing.RawH2Upstream;
import dev.windlass.proxy.testing.RawHttp;
import dev.windlass.proxy.testing.Resources;
import dev.windlass.proxy.testing.RoutedGateway;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proxy's client side of h2c: a malformed response from an h2c endpoint is a stream error the proxy answers
 * upstream with RST_STREAM PROTOCOL_ERROR, and never relays as a complete response.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpstreamH2cStrictnessTest {
    private static final String CLUSTER = "outbound|80||app.test.svc.cluster.local";
    private static final long PROTOCOL_ERROR = 0x1;

    private RoutedGateway gateway;
    private RawH2Upstream upstream;

    @BeforeEach
    void start() throws Exception {
        gateway = new RoutedGateway();
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        upstream.close();
    }

    private void serve(RawH2Upstream.Answer answer) throws Exception {
        upstream = new RawH2Upstream(answer);
        Cluster cluster = Resources.http2(Resources.edsCluster(CLUSTER).toBuilder().clearEdsClusterConfig()
                .setType(Cluster.DiscoveryType.STATIC).setLoadAssignment(Resources.endpoints(CLUSTER, "app", upstream.address()))
                .build());
        gateway.serve(Resources.routes("80", Resources.virtualHost("app", List.of("*"), CLUSTER)), cluster);
    }

    @Test
    void aResponseWithoutStatusIsResetAndAnsweredAsAnUpstreamFailure() throws Exception {
        // HEADERS with END_STREAM holding only x-a: b (a literal, HPACK), no :status.
        serve(stream -> RawH2.frame(RawH2.HEADERS, RawH2.END_STREAM | RawH2.END_HEADERS, stream,
                new byte[]{0x40, 3, 'x', '-', 'a', 1, 'b'}));
        RawHttp.Response response = gateway.get("/");
        assertThat(response.status()).isEqualTo(503);
        assertThat(resets()).containsExactly(PROTOCOL_ERROR);
    }

    @Test
    void aBodyShorterThanItsContentLengthIsResetAndNeverRelayedWhole() throws Exception {
        // :status 200 (static index 8), content-length: 10 (static name 28), then 3 bytes of DATA with END_STREAM.
        serve(stream -> {
            ByteArrayOutputStream frames = new ByteArrayOutputStream();
            frames.writeBytes(RawH2.frame(RawH2.HEADERS, RawH2.END_HEADERS, stream,
                    new byte[]{(byte) 0x88, 0x40 | 28, 2, '1', '0'}));
            frames.writeBytes(RawH2.frame(RawH2.DATA, RawH2.END_STREAM, stream, "abc".getBytes(StandardCharsets.US_ASCII)));
            return frames.toByteArray();
        });
        try {
            RawHttp.Response response = gateway.get("/");
            assertThat(response.body()).as("a truncated body must not look complete").isNotEqualTo("abc");
        } catch (java.io.IOException e) {
            // the downstream connection was reset mid-body: what a proxy does with a broken upstream stream
        }
        assertThat(resets()).containsExactly(PROTOCOL_ERROR);
    }

    private List<Long> resets() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        List<Long> codes;
        do {
            codes = upstream.received().stream().filter(f -> f.type() == RawH2.RST_STREAM).map(RawH2.Frame::errorCode).toList();
            Thread.sleep(10);
        } while (codes.isEmpty() && System.nanoTime() < deadline);
        return codes;
    }
}
