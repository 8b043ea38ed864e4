package dev.windlass.proxy.it;

import dev.windlass.proxy.testing.RawHttp;
import dev.windlass.proxy.testing.Resources;
import dev.windlass.proxy.testing.RoutedGateway;
import dev.windlass.proxy.testing.TcpEchoServer;
import dev.windlass.proxy.testing.TestUpstream;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.windlass.proxy.testing.RbacResources.anyPermission;
import static dev.windlass.proxy.testing.RbacResources.anyPrincipal;
import static dev.windlass.proxy.testing.RbacResources.cidr;
import static dev.windlass.proxy.testing.RbacResources.exact;
import static dev.windlass.proxy.testing.RbacResources.hcm;
import static dev.windlass.proxy.testing.RbacResources.httpRbac;
import static dev.windlass.proxy.testing.RbacResources.method;
import static dev.windlass.proxy.testing.RbacResources.networkRbac;
import static dev.windlass.proxy.testing.RbacResources.policy;
import static dev.windlass.proxy.testing.RbacResources.port;
import static dev.windlass.proxy.testing.RbacResources.rules;
import static dev.windlass.proxy.testing.RbacResources.urlPath;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Envoy's RBAC filters enforced on real sockets, placed as Istio places AuthorizationPolicy: HTTP RBAC in the
 * connection manager (DENY, then ALLOW) answers 403 without reaching the upstream; network RBAC closes a
 * connection before tcp_proxy connects, or before the connection manager reads a request.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RbacEnforcementTest {
    private static final String APP = "outbound|80||app.test.svc.cluster.local";
    private static final String ECHO = "outbound|9000||echo.test.svc.cluster.local";

    private TestUpstream upstream;
    private TcpEchoServer echo;
    private RoutedGateway gateway;

    @BeforeEach
    void start() throws Exception {
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
        gateway.serve(List.of(filters), Resources.routes("80", Resources.virtualHost("app", List.of("*"), APP)),
                Map.of(APP, List.of(upstream.address()), ECHO, List.of("127.0.0.1:" + echo.port())));
    }

    @Test
    void httpRbacDeniesWithEnvoysLocalReplyBeforeTheUpstream() throws Exception {
        RBAC denyAdmin = rules(RBAC.Action.DENY, "ns[test]-policy[no-admin]-rule[0]", policy(urlPath(exact("/admin")), anyPrincipal()));
        RBAC allowGet = rules(RBAC.Action.ALLOW, "ns[test]-policy[read]-rule[0]", policy(method("GET"), anyPrincipal()));
        serve(hcm("80", List.of(httpRbac(denyAdmin), httpRbac(allowGet))));

        RawHttp.Response ok = gateway.get("/ok");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("app");
        for (String path : List.of("/admin", "/admin?debug=1")) {
            RawHttp.Response admin = gateway.get(path);
            assertThat(admin.status()).as(path).isEqualTo(403);
            assertThat(admin.body()).isEqualTo("RBAC: access denied");
            assertThat(admin.header("content-type")).isEqualTo("text/plain");
        }
        RawHttp.Response post = gateway.send("POST /ok HTTP/1.1\r\nHost: app.test\r\nContent-Length: 5\r\n"
                + "Connection: close\r\n\r\nhello");
        assertThat(post.status()).isEqualTo(403);
        assertThat(post.body()).isEqualTo("RBAC: access denied");

        assertThat(upstream.seen()).extracting(TestUpstream.Seen::path).containsExactly("/ok");
        assertThat(gateway.stats()).contains("windlass.rbac_allowed: 1\n", "windlass.rbac_denied: 3\n");
        gateway.proxy.awaitPrometheus("response_code=\"403\"");
    }

    /** Istio's AUDIT (Envoy's LOG action) decides nothing: a matching request is counted (and logged) as audited. */
    @Test
    void anAuditFilterMarksWhatItMatchesAndDecidesNothing() throws Exception {
        RBAC auditAdmin = rules(RBAC.Action.LOG, "ns[test]-policy[audit-admin]-rule[0]", policy(urlPath(exact("/admin")), anyPrincipal()));
        RBAC denyAdmin = rules(RBAC.Action.DENY, "ns[test]-policy[no-admin]-rule[0]", policy(urlPath(exact("/admin")), anyPrincipal()));
        serve(hcm("80", List.of(httpRbac(auditAdmin), httpRbac(denyAdmin))));

        assertThat(gateway.get("/ok").status()).isEqualTo(200);
        assertThat(gateway.get("/admin").status()).as("audited, then denied by DENY").isEqualTo(403);
        assertThat(gateway.stats()).contains("windlass.rbac_audited: 1\n", "windlass.rbac_allowed: 1\n",
                "windlass.rbac_denied: 1\n");
    }

    @Test
    void keepAliveConnectionsGoOnAfterADenial() throws Exception {
        serve(hcm("80", List.of(httpRbac(rules(RBAC.Action.DENY, "no-admin", policy(urlPath(exact("/admin")), anyPrincipal()))))));
        try (Socket socket = gateway.connect()) {
            assertThat(RawHttp.send(socket, RawHttp.get("/admin", "app.test")).status()).isEqualTo(403);
            assertThat(RawHttp.send(socket, RawHttp.get("/ok", "app.test")).status()).isEqualTo(200);
        }
    }

    @Test
    void networkRbacOnTheDestinationPortGuardsTcpProxy() throws Exception {
        serve(networkRbac(rules(RBAC.Action.ALLOW, "other-port", policy(port(gateway.port + 1), anyPrincipal()))),
                Resources.tcpProxy(ECHO));
        // The harness's probe of the new listener was denied too: counted once it is.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> stat("rbac_cx_denied") == 1);
        assertClosedWithoutAnswer();
        assertThat(echo.accepted()).as("the echo server was never dialled").isZero();
        assertThat(stat("rbac_cx_denied")).isEqualTo(2);

        serve(networkRbac(rules(RBAC.Action.ALLOW, "this-port", policy(port(gateway.port), anyPrincipal()))),
                Resources.tcpProxy(ECHO));
        awaitNetworkPolicy("this-port");
        long allowed = stat("rbac_cx_allowed");
        try (Socket socket = gateway.connect()) {
            assertThat(echoed(socket, "hello")).isEqualTo("A:hello");
        }
        assertThat(stat("rbac_cx_allowed")).isGreaterThan(allowed);
    }

    @Test
    void networkRbacOnTheRemoteAddress() throws Exception {
        Principal fromTwo = Principal.newBuilder().setDirectRemoteIp(cidr("127.0.0.2", 32)).build();
        serve(networkRbac(rules(RBAC.Action.ALLOW, "from-two", policy(anyPermission(), fromTwo))), Resources.tcpProxy(ECHO));
        try (Socket socket = gateway.connectFrom("127.0.0.2")) {
            assertThat(echoed(socket, "hi")).isEqualTo("A:hi");
        }
        assertClosedWithoutAnswer();
        assertThat(echo.accepted()).isEqualTo(1);
    }

    @Test
    void networkRbacBeforeTheConnectionManagerClosesBeforeAnyRequest() throws Exception {
        serve(networkRbac(rules(RBAC.Action.DENY, "all", policy(anyPermission(), anyPrincipal()))), hcm("80", List.of()));
        try (Socket socket = gateway.connect()) {
            socket.getOutputStream().write(RawHttp.get("/ok", "app.test").getBytes(StandardCharsets.US_ASCII));
            assertThat(readOrReset(socket.getInputStream())).isEqualTo(-1);
        }
        assertThat(upstream.seen()).isEmpty();
    }

    /** A proxy already ready answers readiness at once: wait for the new listener itself. */
    private void awaitNetworkPolicy(String name) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            var listener = gateway.proxy.proxy.context().config().current().listener("0.0.0.0_" + gateway.port);
            return listener != null && listener.chains().getFirst().networkRbac().getFirst().policies().getFirst()
                    .name().equals(name);
        });
    }

    private long stat(String name) throws IOException {
        String prefix = "windlass." + name + ": ";
        return gateway.stats().lines().filter(l -> l.startsWith(prefix))
                .mapToLong(l -> Long.parseLong(l.substring(prefix.length()))).findFirst().orElseThrow();
    }

    private void assertClosedWithoutAnswer() throws IOException {
        try (Socket socket = gateway.connect()) {
            socket.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            assertThat(readOrReset(socket.getInputStream())).as("closed, nothing relayed").isEqualTo(-1);
        }
    }

    /** The first byte read, or -1 at the end of input or a reset (a close with unread input resets). */
    static int readOrReset(InputStream in) {
        try {
            return in.read();
        } catch (IOException e) {
            return -1;
        }
    }

    private static String echoed(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.shutdownOutput();
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }
}
