package dev.windlass.proxy.it;

import dev.windlass.proxy.testing.RawHttp;
import dev.windlass.proxy.testing.Resources;
import dev.windlass.proxy.testing.RoutedGateway;
import dev.windlass.proxy.testing.TcpEchoServer;
import dev.windlass.proxy.testing.TestUpstream;
import dev.windlass.proxy.testing.TlsClient;
import dev.windlass.proxy.testing.TlsResources;
import dev.windlass.testsupport.tls.TestPki;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Istio's httpsRedirect (the virtual host's require_tls: 301 to https://host/path, which a plain client cannot
 * dodge by sending x-forwarded-proto) and TLS PASSTHROUGH (SNI picks the backend, which terminates TLS itself).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatewayRedirectAndPassthroughTest {
    private static final String CLUSTER = "outbound|80||app.test.svc.cluster.local";

    private TestUpstream upstream;
    private RoutedGateway gateway;

    @BeforeEach
    void start() throws Exception {
        upstream = new TestUpstream("app");
        gateway = new RoutedGateway();
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        upstream.close();
    }

    private void serveHttp(VirtualHost.TlsRequirementType requirement) throws Exception {
        VirtualHost host = Resources.virtualHost("*:80", List.of("*"), CLUSTER).toBuilder().setRequireTls(requirement).build();
        RouteConfiguration routes = Resources.routes("http.80", host);
        gateway.serve(Resources.gatewayListener("127.0.0.1", gateway.port, "http.80"), routes,
                Map.of(CLUSTER, List.of(upstream.address())));
    }

    @Test
    void requireTlsAllAnswers301ToHttpsWithTheHostAndPathAsSent() throws Exception {
        serveHttp(VirtualHost.TlsRequirementType.ALL);

        RawHttp.Response plain = gateway.send(RawHttp.get("/productpage?u=1", "bookinfo.example.com", "Connection: close"));
        RawHttp.Response claimed = gateway.send(RawHttp.get("/x", "bookinfo.example.com:8080",
                "X-Forwarded-Proto: https", "Connection: close"));

        assertThat(plain.status()).isEqualTo(301);
        assertThat(plain.header("location")).isEqualTo("https://bookinfo.example.com/productpage?u=1");
        assertThat(claimed.status()).as("x-forwarded-proto from an untrusted client is replaced").isEqualTo(301);
        assertThat(claimed.header("location")).isEqualTo("https://bookinfo.example.com:8080/x");
        assertThat(upstream.seen()).isEmpty();
    }

    @Test
    void requireTlsExternalOnlyLetsEnvoyInternalRequestsThrough() throws Exception {
        serveHttp(VirtualHost.TlsRequirementType.EXTERNAL_ONLY);

        assertThat(gateway.get("/").status()).isEqualTo(301);
        assertThat(gateway.get("/", "x-envoy-internal: true").status()).isEqualTo(200);
        assertThat(upstream.seen().getFirst().headers()).containsEntry("x-forwarded-proto", "http");
    }

    @Test
    void passthroughRoutesByServerNameToBackendsThatTerminateTlsThemselves() throws Exception {
        TestPki.Issued ca = TestPki.ca("backends");
        TestPki.Issued one = TestPki.server(ca, "one.example.com");
        TestPki.Issued two = TestPki.server(ca, "two.example.com");
        String clusterOne = "outbound|443||one.test.svc.cluster.local";
        String clusterTwo = "outbound|443||two.test.svc.cluster.local";
        try (TcpEchoServer backendOne = new TcpEchoServer("one", serverContext(one));
             TcpEchoServer backendTwo = new TcpEchoServer("two", serverContext(two))) {
            gateway.serve(TlsResources.listener(gateway.port, List.of(
                            TlsResources.passthroughChain("one.example.com", clusterOne),
                            TlsResources.passthroughChain("two.example.com", clusterTwo))), null,
                    Map.of(clusterOne, List.of("127.0.0.1:" + backendOne.port()),
                            clusterTwo, List.of("127.0.0.1:" + backendTwo.port())));

            SSLContext client = TestPki.clientContext(ca, null);
            assertThat(greeting(client, "one.example.com", one)).isEqualTo("one:");
            assertThat(greeting(client, "two.example.com", two)).isEqualTo("two:");
        }
    }

    /** The backend's first bytes through the gateway, after checking it presented {@code expected}'s certificate. */
    private String greeting(SSLContext client, String sni, TestPki.Issued expected) throws Exception {
        try (SSLSocket socket = TlsClient.connect(client, gateway.port, sni, List.of(), List.of())) {
            assertThat(((java.security.cert.X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber())
                    .isEqualTo(expected.serial());
            return new String(socket.getInputStream().readNBytes(4), StandardCharsets.US_ASCII);
        }
    }

    private static SSLContext serverContext(TestPki.Issued identity) throws Exception {
        java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", identity.key(), new char[0], identity.chain().toArray(java.security.cert.X509Certificate[]::new));
        javax.net.ssl.KeyManagerFactory factory = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
        factory.init(keys, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }
}
