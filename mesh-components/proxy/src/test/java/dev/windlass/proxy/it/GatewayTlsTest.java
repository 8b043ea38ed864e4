package dev.windlass.proxy.it;

import dev.windlass.proxy.testing.Resources;
import dev.windlass.proxy.testing.RoutedGateway;
import dev.windlass.proxy.testing.TcpEchoServer;
import dev.windlass.proxy.testing.TestUpstream;
import dev.windlass.proxy.testing.TlsClient;
import dev.windlass.proxy.testing.TlsResources;
import dev.windlass.testsupport.tls.TestPki;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS termination on a gateway listener, on real sockets, with Envoy's DownstreamTlsContext as the contract has
 * the discovery server write it: SIMPLE with the certificate verified by the client against its CA, one
 * certificate per SNI, MUTUAL, protocol versions and cipher suites, and refusal of what Windlass does not do.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatewayTlsTest {
    private static final String CLUSTER = "outbound|80||app.test.svc.cluster.local";
    private static final String ROUTES = "https.443.https.my-gateway.test";

    @TempDir
    Path dir;
    private TestPki.Issued ca;
    private TestUpstream upstream;
    private RoutedGateway gateway;

    @BeforeEach
    void start() throws Exception {
        ca = TestPki.ca("gateway test CA");
        upstream = new TestUpstream("app");
        gateway = new RoutedGateway();
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        upstream.close();
    }

    /** Writes {@code issued} as name.crt and name.key and returns the certificate options for them. */
    private CommonTlsContext.Builder files(String name, TestPki.Issued issued) throws IOException {
        issued.write(dir.resolve(name + ".crt"), dir.resolve(name + ".key"));
        return TlsResources.fileCertificate(dir.resolve(name + ".crt"), dir.resolve(name + ".key"));
    }

    private void serve(FilterChain... chains) throws Exception {
        RouteConfiguration routes = Resources.routes(ROUTES, Resources.virtualHost("*:443", List.of("*"), CLUSTER));
        gateway.serve(TlsResources.listener(gateway.port, List.of(chains)), routes, Map.of(CLUSTER, List.of(upstream.address())));
    }

    private SSLContext client() throws Exception {
        return TestPki.clientContext(ca, null);
    }

    @Test
    void simpleTlsServesTheCertificateTheClientVerifiesAgainstItsCa() throws Exception {
        TestPki.Issued server = TestPki.rsaServer(ca, "app.example.com");
        serve(TlsResources.httpsChain(ROUTES, TlsResources.downstream(files("app", server), false)));

        TlsClient.Result result = TlsClient.get(client(), gateway.port, "app.example.com", "/hello");

        assertThat(result.response().status()).isEqualTo(200);
        assertThat(result.response().body()).isEqualTo("app");
        assertThat(result.peer().getSerialNumber()).isEqualTo(server.serial());
        assertThat(result.protocol()).isEqualTo("TLSv1.3");
        assertThat(upstream.seen().getLast().headers()).containsEntry("x-forwarded-proto", "https");
        SSLContext otherCa = TestPki.clientContext(TestPki.ca("someone else"), null);
        assertThatThrownBy(() -> TlsClient.get(otherCa, gateway.port, "app.example.com", "/"))
                .as("a client that does not trust the gateway's CA").isInstanceOf(IOException.class);
        assertThat(gateway.stats()).contains("ssl_handshake: ");
    }

    /**
     * TLS terminated before tcp_proxy (a sidecar's mesh mTLS on a TCP port): the bytes reach the backend
     * decrypted and its answer comes back encrypted; the client's close_notify ends the backend's input (the echo
     * server answers until its EOF, then closes).
     */
    @Test
    void tlsTerminatedBeforeTcpProxyRelaysDecryptedBytes() throws Exception {
        TestPki.Issued server = TestPki.server(ca, "tcp.example.com");
        try (TcpEchoServer echo = new TcpEchoServer("echo")) {
            String cluster = "outbound|9000||echo.test.svc.cluster.local";
            FilterChain chain = FilterChain.newBuilder().setTransportSocket(TlsResources.socket(
                    TlsResources.downstream(files("tcp", server), false))).addFilters(Resources.tcpProxy(cluster)).build();
            gateway.serve(TlsResources.listener(gateway.port, List.of(chain)),
                    Resources.routes(ROUTES, Resources.virtualHost("*:443", List.of("*"), CLUSTER)),
                    Map.of(cluster, List.of("127.0.0.1:" + echo.port())));
            try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) client().getSocketFactory()
                    .createSocket("127.0.0.1", gateway.port)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write("ping".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                String answer = new String(socket.getInputStream().readNBytes(9), java.nio.charset.StandardCharsets.US_ASCII);
                assertThat(answer).isEqualTo("echo:ping");
                assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
                socket.shutdownOutput();
                assertThat(socket.getInputStream().read()).as("the backend saw EOF and closed").isEqualTo(-1);
            }
        }
    }

    @Test
    void sniChoosesTheCertificateOfItsChain() throws Exception {
        TestPki.Issued a = TestPki.server(ca, "a.example.com");
        TestPki.Issued b = TestPki.server(ca, "b.example.com");
        serve(TlsResources.httpsChain(ROUTES, TlsResources.downstream(files("a", a), false), "a.example.com"),
                TlsResources.httpsChain(ROUTES, TlsResources.downstream(files("b", b), false), "b.example.com"));

        assertThat(TlsClient.get(client(), gateway.port, "a.example.com", "/").peer().getSerialNumber()).isEqualTo(a.serial());
        assertThat(TlsClient.get(client(), gateway.port, "b.example.com", "/").peer().getSerialNumber()).isEqualTo(b.serial());
        assertThatThrownBy(() -> TlsClient.get(client(), gateway.port, "c.example.com", "/"))
                .as("no chain names c.example.com").isInstanceOf(IOException.class);
    }

    @Test
    void mutualRefusesAClientWithoutACertificateAndAcceptsOneWithAMatchingSan() throws Exception {
        TestPki.Issued server = TestPki.server(ca, "mtls.example.com");
        TestPki.Issued clientCa = TestPki.ca("client CA");
        clientCa.write(dir.resolve("client-ca.crt"), dir.resolve("client-ca.key"));
        CommonTlsContext.Builder common = files("mtls", server).setValidationContext(CertificateValidationContext.newBuilder()
                .setTrustedCa(TlsResources.file(dir.resolve("client-ca.crt")))
                .addMatchTypedSubjectAltNames(SubjectAltNameMatcher.newBuilder().setSanType(SubjectAltNameMatcher.SanType.URI)
                        .setMatcher(StringMatcher.newBuilder().setExact("spiffe://cluster.local/ns/shop/sa/web"))));
        serve(TlsResources.httpsChain(ROUTES, TlsResources.downstream(common, true)));

        TestPki.Issued web = TestPki.client(clientCa, "web", List.of(), List.of("spiffe://cluster.local/ns/shop/sa/web"));
        TestPki.Issued other = TestPki.client(clientCa, "other", List.of(), List.of("spiffe://cluster.local/ns/shop/sa/other"));
        TestPki.Issued stranger = TestPki.client(TestPki.ca("not trusted"), "web", List.of(),
                List.of("spiffe://cluster.local/ns/shop/sa/web"));

        assertThat(TlsClient.get(TestPki.clientContext(ca, web), gateway.port, "mtls.example.com", "/").response().status())
                .isEqualTo(200);
        for (TestPki.Issued refused : new TestPki.Issued[]{null, other, stranger}) {
            SSLContext context = TestPki.clientContext(ca, refused);
            assertThatThrownBy(() -> TlsClient.get(context, gateway.port, "mtls.example.com", "/"))
                    .as("client %s", refused == null ? "without a certificate" : refused.certificate().getSubjectX500Principal())
                    .isInstanceOf(IOException.class);
        }
        assertThat(upstream.seen()).hasSize(1);
    }

    @Test
    void theMinimumVersionRefusesOlderClientsAndCipherSuitesAreHonoured() throws Exception {
        TestPki.Issued modern = TestPki.server(ca, "modern.example.com");
        TestPki.Issued legacy = TestPki.server(ca, "legacy.example.com");
        CommonTlsContext.Builder tls13 = files("modern", modern).setTlsParams(TlsParameters.newBuilder()
                .setTlsMinimumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_3));
        CommonTlsContext.Builder tls12 = files("legacy", legacy).setTlsParams(TlsParameters.newBuilder()
                .setTlsMaximumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_2)
                .addCipherSuites("ECDHE-ECDSA-AES128-GCM-SHA256"));
        serve(TlsResources.httpsChain(ROUTES, TlsResources.downstream(tls13, false), "modern.example.com"),
                TlsResources.httpsChain(ROUTES, TlsResources.downstream(tls12, false), "legacy.example.com"));

        assertThatThrownBy(() -> TlsClient.get(client(), gateway.port, "modern.example.com", "/", "TLSv1.2"))
                .as("a TLS 1.2 client below the minimum").isInstanceOf(IOException.class);
        assertThat(TlsClient.get(client(), gateway.port, "modern.example.com", "/", "TLSv1.3").protocol()).isEqualTo("TLSv1.3");
        TlsClient.Result legacyResult = TlsClient.get(client(), gateway.port, "legacy.example.com", "/");
        assertThat(legacyResult.protocol()).isEqualTo("TLSv1.2");
        assertThat(legacyResult.cipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void unsupportedTlsSettingsAreRefusedAndTheLastGoodListenerKeepsServing() throws Exception {
        TestPki.Issued server = TestPki.server(ca, "app.example.com");
        CommonTlsContext.Builder good = files("app", server);
        serve(TlsResources.httpsChain(ROUTES, TlsResources.downstream(good, false)));
        long nacks = gateway.proxy.proxy.context().config().nacks();

        CommonTlsContext.Builder curves = good.clone().setTlsParams(TlsParameters.newBuilder().addEcdhCurves("X25519"));
        gateway.ads.set(dev.windlass.proxy.xds.ResourceType.LDS, "bad", TlsResources.listener(gateway.port,
                List.of(TlsResources.httpsChain(ROUTES, TlsResources.downstream(curves, false)))));

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> gateway.proxy.proxy.context().config().nacks() > nacks);
        assertThat(gateway.proxy.proxy.context().config().lastNack())
                .contains("TlsParameters.ecdh_curves is not supported by Windlass");
        assertThat(TlsClient.get(client(), gateway.port, "app.example.com", "/").response().status()).isEqualTo(200);
    }
}
