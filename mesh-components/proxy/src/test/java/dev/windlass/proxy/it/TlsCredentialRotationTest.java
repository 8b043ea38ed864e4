package dev.windlass.proxy.it;

import dev.windlass.proxy.testing.Resources;
import dev.windlass.proxy.testing.RoutedGateway;
import dev.windlass.proxy.testing.TestUpstream;
import dev.windlass.proxy.testing.TlsClient;
import dev.windlass.proxy.testing.TlsResources;
import dev.windlass.testsupport.tls.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Certificate files (a mounted Secret, Istio's file form) re-read while the proxy runs: a rotation reaches new
 * handshakes without a restart, and a missing certificate only makes its own chain refuse handshakes until it
 * appears. The proxy re-reads every second here (CREDENTIAL_POLL_SECONDS=1).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsCredentialRotationTest {
    private static final String CLUSTER = "outbound|80||app.test.svc.cluster.local";
    private static final String ROUTES = "https.443.https.gw.test";

    @TempDir
    Path dir;
    private TestPki.Issued ca;
    private TestUpstream upstream;
    private RoutedGateway gateway;
    private SSLContext client;

    @BeforeEach
    void start() throws Exception {
        ca = TestPki.ca("rotation CA");
        client = TestPki.clientContext(ca, null);
        upstream = new TestUpstream("app");
        gateway = new RoutedGateway(Map.of("CREDENTIAL_POLL_SECONDS", "1"));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        upstream.close();
    }

    private io.envoyproxy.envoy.config.listener.v3.FilterChain chain(String name) {
        return TlsResources.httpsChain(ROUTES, TlsResources.downstream(
                TlsResources.fileCertificate(dir.resolve(name + ".crt"), dir.resolve(name + ".key")), false), name);
    }

    private void serve(String... names) throws Exception {
        gateway.serve(TlsResources.listener(gateway.port, java.util.Arrays.stream(names).map(this::chain).toList()),
                Resources.routes(ROUTES, Resources.virtualHost("*:443", List.of("*"), CLUSTER)),
                Map.of(CLUSTER, List.of(upstream.address())));
    }

    private BigInteger servedSerial(String name) throws IOException {
        return TlsClient.get(client, gateway.port, name, "/").peer().getSerialNumber();
    }

    @Test
    void aRotatedCertificateFileReachesNewHandshakesWithoutARestart() throws Exception {
        TestPki.Issued first = TestPki.server(ca, "rotate.example.com");
        first.write(dir.resolve("rotate.example.com.crt"), dir.resolve("rotate.example.com.key"));
        serve("rotate.example.com");
        assertThat(servedSerial("rotate.example.com")).isEqualTo(first.serial());

        TestPki.Issued second = TestPki.server(ca, "rotate.example.com");
        second.write(dir.resolve("rotate.example.com.crt"), dir.resolve("rotate.example.com.key"));

        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                assertThat(servedSerial("rotate.example.com")).isEqualTo(second.serial()));
    }

    @Test
    void aMissingCertificateRefusesOnlyItsChainUntilItAppears() throws Exception {
        TestPki.Issued present = TestPki.server(ca, "present.example.com");
        present.write(dir.resolve("present.example.com.crt"), dir.resolve("present.example.com.key"));
        serve("present.example.com", "later.example.com");

        assertThatThrownBy(() -> servedSerial("later.example.com")).isInstanceOf(IOException.class);
        assertThat(servedSerial("present.example.com")).isEqualTo(present.serial());
        assertThat(gateway.stats()).containsPattern("ssl_no_certificate: [1-9]");

        Files.writeString(dir.resolve("later.example.com.key"), "not a key");
        TestPki.Issued later = TestPki.server(ca, "later.example.com");
        Files.writeString(dir.resolve("later.example.com.crt"), later.certificatePem());
        Thread.sleep(1500);
        assertThatThrownBy(() -> servedSerial("later.example.com")).as("an unreadable key").isInstanceOf(IOException.class);

        later.write(dir.resolve("later.example.com.crt"), dir.resolve("later.example.com.key"));
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                assertThat(servedSerial("later.example.com")).isEqualTo(later.serial()));
    }
}
