package dev.windlass.discovery.inject;

import dev.windlass.discovery.ca.CertificateAuthority;
import dev.windlass.discovery.ca.ServingCertificates;
import dev.windlass.discovery.metrics.Metrics;
import dev.windlass.injector.InjectorConfig;
import dev.windlass.injector.InjectorJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The webhook port (15017) with a 3 s serving certificate: real TLS clients that trust only our CA and check the
 * name, as the apiserver does, before and after the certificate is renewed, and a connection opened before.
 */
class WebhookCertificateRotationTest {
    private static final Duration LIFETIME = Duration.ofSeconds(3);
    private final CertificateAuthority ca = CertificateAuthority.generate("test-ca");
    private ServingCertificates serving;
    private WebhookServer server;

    @BeforeEach
    void start() throws IOException {
        serving = ServingCertificates.start("webhooks", () -> ca, List.of("windlass-discovery.windlass-system.svc"),
                List.of("127.0.0.1"), LIFETIME);
        AdmissionHandler handler = new AdmissionHandler(() -> Optional.of(InjectorConfig.parse(InjectFixtures.CONFIG_MAP_DATA)),
                ns -> Map.of("windlass-injection", "enabled"), "windlass-system", new Metrics());
        server = new WebhookServer(new InetSocketAddress("127.0.0.1", 0), serving.serverContext(), handler,
                new ValidationHandler(new Metrics())).start();
    }

    @AfterEach
    void stop() {
        server.close();
        serving.close();
    }

    @Test
    void newHandshakesGetTheRenewedCertificateWhileAnOpenConnectionKeepsBeingServed() throws Exception {
        try (KeptAlive open = new KeptAlive(connect())) {
            X509Certificate first = open.peer();
            assertThat(open.get("/inject")).isEqualTo("HTTP/1.1 405 Method Not Allowed");

            X509Certificate renewed = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(this::certificateOfANewConnection, c -> !c.getSerialNumber().equals(first.getSerialNumber()));

            renewed.verify(ca.certificate().getPublicKey());
            renewed.checkValidity();
            assertThat(renewed.getPublicKey()).isNotEqualTo(first.getPublicKey());
            assertThat(open.get("/inject")).as("the same socket, after the rotation").isEqualTo("HTTP/1.1 405 Method Not Allowed");
            assertThat(open.peer()).isEqualTo(first);
        }
        try (HttpClient apiserver = HttpClient.newBuilder().sslContext(ca.clientContext()).build()) {
            HttpResponse<String> injected = apiserver.send(HttpRequest.newBuilder(
                            URI.create("https://127.0.0.1:" + server.port() + "/inject")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(InjectorJson.json(
                            InjectFixtures.review("after", "shop", InjectFixtures.pod("web", Map.of()))))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(injected.statusCode()).as("an AdmissionReview after the rotation").isEqualTo(200);
        }
    }

    private X509Certificate certificateOfANewConnection() throws IOException {
        try (SSLSocket socket = connect()) {
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    /** A fresh client context each time, so no TLS session is resumed with the old certificate. */
    private SSLSocket connect() throws IOException {
        SSLSocket socket = (SSLSocket) ca.clientContext().getSocketFactory().createSocket("127.0.0.1", server.port());
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the IP SAN must name 127.0.0.1
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    /** HTTP/1.1 by hand on one socket, so that the test knows the connection is the same one. */
    private record KeptAlive(SSLSocket socket, BufferedReader in) implements AutoCloseable {
        KeptAlive(SSLSocket socket) throws IOException {
            this(socket, new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)));
        }

        X509Certificate peer() throws IOException {
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }

        /** The status line; the body is read and dropped. */
        String get(String path) throws IOException {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String status = in.readLine();
            int length = 0;
            for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
                if (header.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(header.substring("content-length:".length()).trim());
                }
            }
            for (int i = 0; i < length; i++) {
                in.read(); // ASCII: a character a byte
            }
            return status;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
