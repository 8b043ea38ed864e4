package dev.windlass.proxy.it;

import dev.windlass.proxy.testing.Resources;
import dev.windlass.proxy.testing.RoutedGateway;
import dev.windlass.proxy.testing.TcpEchoServer;
import dev.windlass.proxy.testing.TestUpstream;
import dev.windlass.proxy.testing.TlsClient;
import dev.windlass.proxy.testing.TlsResources;
import dev.windlass.testsupport.tls.TestPki;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.windlass.proxy.testing.RbacResources.anyPermission;
import static dev.windlass.proxy.testing.RbacResources.authenticated;
import static dev.windlass.proxy.testing.RbacResources.exact;
import static dev.windlass.proxy.testing.RbacResources.hcm;
import static dev.windlass.proxy.testing.RbacResources.httpRbac;
import static dev.windlass.proxy.testing.RbacResources.networkRbac;
import static dev.windlass.proxy.testing.RbacResources.policy;
import static dev.windlass.proxy.testing.RbacResources.rules;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RBAC principals from the client certificate's SPIFFE id, on chains that terminate mutual TLS: network RBAC
 * decides once the handshake is done, HTTP RBAC on each request.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RbacMtlsTest {
    private static final String APP = "outbound|80||app.test.svc.cluster.local";
    private static final String ECHO = "outbound|9000||echo.test.svc.cluster.local";
    private static final String WEB = "spiffe://cluster.local/ns/shop/sa/web";
    private static final String SNI = "mtls.example.com";

    @TempDir
    Path dir;
    private TestPki.Issued ca;
    private TestPki.Issued web;
    private TestPki.Issued other;
    private TestUpstream upstream;
    private TcpEchoServer echo;
    private RoutedGateway gateway;

    @BeforeEach
    void start() throws Exception {
        ca = TestPki.ca("server CA");
        TestPki.Issued clients = TestPki.ca("client CA");
        clients.write(dir.resolve("clients.crt"), dir.resolve("clients.key"));
        TestPki.server(ca, SNI).write(dir.resolve("server.crt"), dir.resolve("server.key"));
        web = TestPki.client(clients, "web", List.of(), List.of(WEB));
        other = TestPki.client(clients, "other", List.of(), List.of("spiffe://cluster.local/ns/shop/sa/other"));
        upstream = new TestUpstream("app");
        echo = new TcpEchoServer("A");
        gateway = new RoutedGateway();
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        upstream.close();
        echo.close();
    }

    private void serve(Filter... filters) throws Exception {
        CommonTlsContext.Builder common = TlsResources.trusting(TlsResources.fileCertificate(dir.resolve("server.crt"),
                dir.resolve("server.key")), dir.resolve("clients.crt"));
        FilterChain chain = FilterChain.newBuilder().setTransportSocket(TlsResources.socket(TlsResources.downstream(common, true)))
                .addAllFilters(List.of(filters)).build();
        gateway.serve(TlsResources.listener(gateway.port, List.of(chain)),
                Resources.routes("80", Resources.virtualHost("app", List.of("*"), APP)),
                Map.of(APP, List.of(upstream.address()), ECHO, List.of("127.0.0.1:" + echo.port())));
    }

    @Test
    void networkRbacDecidesOnThePeerCertificateAfterTheHandshake() throws Exception {
        serve(networkRbac(rules(RBAC.Action.ALLOW, "web-only", policy(anyPermission(), authenticated(exact(WEB))))),
                Resources.tcpProxy(ECHO));
        try (SSLSocket socket = TlsClient.connect(TestPki.clientContext(ca, web), gateway.port, SNI, List.of(), List.of())) {
            socket.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            assertThat(new String(socket.getInputStream().readNBytes(7), StandardCharsets.US_ASCII)).isEqualTo("A:hello");
        }
        int accepted = echo.accepted();
        try (SSLSocket socket = TlsClient.connect(TestPki.clientContext(ca, other), gateway.port, SNI, List.of(), List.of())) {
            socket.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            assertThat(RbacEnforcementTest.readOrReset(socket.getInputStream())).isEqualTo(-1);
        }
        assertThat(echo.accepted()).isEqualTo(accepted);
    }

    @Test
    void httpRbacMatchesThePrincipalOfEachRequestsConnection() throws Exception {
        StringMatcher shopWeb = StringMatcher.newBuilder().setSuffix("/ns/shop/sa/web").build();
        serve(hcm("80", List.of(httpRbac(rules(RBAC.Action.ALLOW, "web", policy(anyPermission(), authenticated(shopWeb)))))));
        assertThat(TlsClient.get(TestPki.clientContext(ca, web), gateway.port, SNI, "/ok").response().status()).isEqualTo(200);
        var denied = TlsClient.get(TestPki.clientContext(ca, other), gateway.port, SNI, "/ok").response();
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.body()).isEqualTo("RBAC: access denied");
        assertThat(upstream.seen()).hasSize(1);
    }
}
