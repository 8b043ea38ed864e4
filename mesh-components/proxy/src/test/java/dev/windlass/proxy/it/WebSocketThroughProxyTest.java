package dev.windlass.proxy.it;

import dev.windlass.proxy.testing.RawHttp;
import dev.windlass.proxy.testing.Resources;
import dev.windlass.proxy.testing.RoutedGateway;
import dev.windlass.proxy.testing.WebSocketClient;
import dev.windlass.proxy.testing.WebSocketEchoUpstream;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/1.1 WebSocket upgrades through a gateway proxy to a real WebSocket echo server, on real sockets: with
 * upgrade_configs websocket (as Istio writes on every HCM) the handshake gets the upstream's 101 and messages flow
 * both ways; without it the Upgrade header is dropped and the server never switches.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebSocketThroughProxyTest {
    private static final String CLUSTER = "outbound|9000||ws.test.svc.cluster.local";

    private WebSocketEchoUpstream echo;
    private RoutedGateway gateway;

    @BeforeEach
    void start() throws Exception {
        echo = new WebSocketEchoUpstream();
        gateway = new RoutedGateway();
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        echo.close();
    }

    private void serve(boolean websocket) throws Exception {
        Listener listener = Resources.gatewayListener("127.0.0.1", gateway.port, "80");
        gateway.serve(websocket ? Resources.withWebSocket(listener) : listener,
                Resources.routes("80", Resources.virtualHost("ws", List.of("*"), CLUSTER)),
                Map.of(CLUSTER, List.of("127.0.0.1:" + echo.port())));
    }

    @Test
    void aQuietWebSocketOutlivesTheConnectionManagersTimeouts() throws Exception {
        // Once switched the connection is a tunnel, no longer a request: none of the HTTP timeouts applies to it.
        com.google.protobuf.Duration second = com.google.protobuf.Duration.newBuilder().setSeconds(1).build();
        Listener listener = Resources.withConnectionManager(Resources.gatewayListener("127.0.0.1", gateway.port, "80"),
                hcm -> hcm.setRequestHeadersTimeout(second).setStreamIdleTimeout(second).setRequestTimeout(second)
                        .setCommonHttpProtocolOptions(HttpProtocolOptions.newBuilder().setIdleTimeout(second)));
        gateway.serve(Resources.withWebSocket(listener),
                Resources.routes("80", Resources.virtualHost("ws", List.of("*"), CLUSTER)),
                Map.of(CLUSTER, List.of("127.0.0.1:" + echo.port())));
        try (WebSocketClient client = new WebSocketClient(gateway.port, "ws.test:80", "/ws")) {
            client.handshake().get(10, TimeUnit.SECONDS);
            Thread.sleep(2500);
            client.sendText("still here");
            assertThat(client.next(10)).isEqualTo("text:still here");
        }
        assertThat(gateway.stats()).contains("windlass.downstream_cx_idle_timeout: 0",
                "windlass.downstream_rq_idle_timeout: 0", "windlass.downstream_rq_timeout: 0");
    }

    @Test
    void aWebSocketSwitchesAndEchoesThousandsOfMessagesInOrderThenClosesBothSides() throws Exception {
        serve(true);
        try (WebSocketClient client = new WebSocketClient(gateway.port, "ws.test:80", "/ws")) {
            client.handshake().get(10, TimeUnit.SECONDS);
            assertThat(echo.upgradeHeaders()).containsExactly("websocket");
            long start = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                client.sendText("message " + i);
                client.sendBinary(new byte[] {(byte) i, (byte) (i >> 8), 0, (byte) 0xff});
            }
            for (int i = 0; i < 1000; i++) {
                assertThat(client.next(10)).isEqualTo("text:message " + i);
                assertThat(client.next(10)).isEqualTo("binary:" + HexFormat.of().formatHex(
                        new byte[] {(byte) i, (byte) (i >> 8), 0, (byte) 0xff}));
            }
            System.out.printf("[websocket] 2000 messages echoed through the proxy in %d ms%n",
                    (System.nanoTime() - start) / 1_000_000);
            assertThat(gateway.stats()).contains("downstream_cx_upgrades_total: 1", "downstream_cx_upgrades_active: 1");
            client.sendClose();
            assertThat(client.next(10)).as("the server's close frame, relayed").isEqualTo("close:1000");
            assertThat(client.awaitClosed(10)).as("the proxy closes the client as the server closes").isTrue();
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(echo.openConnections()).isZero();
            assertThat(gateway.stats()).contains("downstream_cx_upgrades_active: 0");
        });
    }

    @Test
    void ordinaryRequestsOnTheSameListenerStillWorkAndAnUpgradeAnsweredWithoutA101IsAPlainResponse() throws Exception {
        serve(true);
        RawHttp.Response plain = gateway.get("/plain");
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.body()).isEqualTo("plain");
        // The server does not switch for this path: its 200 comes back as a response, and nothing was tunnelled.
        RawHttp.Response refused = gateway.send(RawHttp.get("/plain", "ws.test:80", "Connection: Upgrade",
                "Upgrade: websocket", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="));
        assertThat(refused.status()).isEqualTo(200);
        assertThat(refused.body()).isEqualTo("plain");
        assertThat(refused.header("Upgrade")).isNull();
        assertThat(echo.upgradeHeaders()).containsExactly("-", "websocket");
        assertThat(gateway.stats()).contains("downstream_cx_upgrades_total: 0");
    }

    /**
     * After the 101 the proxy relays bytes, half-closes included: this upstream answers only after the client's
     * FIN (what it read, upper-cased), then closes; the answer arriving proves the FIN crossed the tunnel one way
     * and the other direction stayed open.
     */
    @Test
    void aHalfCloseCrossesTheTunnelAndTheOtherDirectionStaysOpen() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().start(() -> switchThenAnswerAfterEof(upstream));
            gateway.serve(Resources.withWebSocket(Resources.gatewayListener("127.0.0.1", gateway.port, "80")),
                    Resources.routes("80", Resources.virtualHost("ws", List.of("*"), CLUSTER)),
                    Map.of(CLUSTER, List.of("127.0.0.1:" + upstream.getLocalPort())));
            try (Socket socket = gateway.connect()) {
                OutputStream out = socket.getOutputStream();
                out.write(RawHttp.get("/ws", "ws.test:80", "Connection: Upgrade", "Upgrade: websocket")
                        .getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = socket.getInputStream();
                assertThat(head(in)).startsWith("HTTP/1.1 101").containsIgnoringCase("upgrade: websocket")
                        .containsIgnoringCase("connection: upgrade");
                out.write("raw bytes".getBytes(StandardCharsets.US_ASCII));
                socket.shutdownOutput();
                assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("RAW BYTES");
            }
        }
    }

    private static void switchThenAnswerAfterEof(ServerSocket server) {
        try (Socket socket = server.accept()) {
            InputStream in = socket.getInputStream();
            String request = head(in);
            if (!request.toLowerCase(java.util.Locale.ROOT).contains("upgrade: websocket")) {
                return;
            }
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String rest = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            out.write(rest.toUpperCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // the test fails on what the client did not get
        }
    }

    /** A message head, up to its empty line. */
    private static String head(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void withoutUpgradeConfigsTheUpgradeHeaderIsDroppedAndTheServerNeverSwitches() throws Exception {
        serve(false);
        RawHttp.Response response = gateway.send(RawHttp.get("/ws", "ws.test:80", "Connection: Upgrade",
                "Upgrade: websocket", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="));
        assertThat(response.status()).isIn(400, 426);
        assertThat(echo.upgradeHeaders()).containsExactly("-");
        try (WebSocketClient client = new WebSocketClient(gateway.port, "ws.test:80", "/ws")) {
            assertThat(client.handshake()).failsWithin(10, TimeUnit.SECONDS);
        }
        assertThat(gateway.stats()).contains("downstream_cx_upgrades_total: 0");
    }
}
