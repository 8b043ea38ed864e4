package dev.windlass.proxy.it;

import com.google.protobuf.Any;
import dev.windlass.proxy.testing.Resources;
import dev.windlass.proxy.testing.RoutedGateway;
import dev.windlass.proxy.testing.TlsResources;
import dev.windlass.proxy.testing.WebSocketClient;
import dev.windlass.proxy.testing.WebSocketEchoUpstream;
import dev.windlass.testsupport.tls.TestPki;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebSockets and TLS on both sides of the proxy: a cluster that originates TLS (UpstreamTlsContext, verified by
 * CA), whose upgrade gets a TLS connection of its own; a chain that terminates mutual TLS (as a sidecar's inbound
 * mesh mTLS), whose client connection becomes a relay under its TLS after the 101.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebSocketTlsTest {
    private static final String CLUSTER = "outbound|443||ws.example.com";

    @TempDir
    Path dir;

    @Test
    void theUpgradeAndItsMessagesGoOverTheClustersTls() throws Exception {
        TestPki.Issued ca = TestPki.ca("websocket test CA");
        Path caFile = dir.resolve("ca.pem");
        ca.write(caFile, dir.resolve("ca.key"));
        TestPki.Issued server = TestPki.server(ca, "ws.example.com");
        try (WebSocketEchoUpstream echo = new WebSocketEchoUpstream("127.0.0.1", 0, SslContextBuilder
                .forServer(server.key(), server.chain().toArray(X509Certificate[]::new)).build());
             RoutedGateway gateway = new RoutedGateway()) {
            UpstreamTlsContext tls = UpstreamTlsContext.newBuilder().setSni("ws.example.com")
                    .setCommonTlsContext(CommonTlsContext.newBuilder()
                            .setValidationContext(CertificateValidationContext.newBuilder()
                                    .setTrustedCa(TlsResources.file(caFile)))).build();
            Cluster cluster = Cluster.newBuilder().setName(CLUSTER).setType(Cluster.DiscoveryType.STATIC)
                    .setLoadAssignment(Resources.endpoints(CLUSTER, "ws", "127.0.0.1:" + echo.port()))
                    .setTransportSocket(TransportSocket.newBuilder().setName("envoy.transport_sockets.tls")
                            .setTypedConfig(Any.pack(tls))).build();
            gateway.serve(Resources.withWebSocket(Resources.gatewayListener("127.0.0.1", gateway.port, "80")),
                    Resources.routes("80", Resources.virtualHost("ws", List.of("*"), CLUSTER)), cluster);
            try (WebSocketClient client = new WebSocketClient(gateway.port, "ws.example.com", "/ws")) {
                client.handshake().get(10, TimeUnit.SECONDS);
                for (int i = 0; i < 200; i++) {
                    client.sendText("secure " + i);
                }
                for (int i = 0; i < 200; i++) {
                    assertThat(client.next(10)).isEqualTo("text:secure " + i);
                }
                client.sendClose();
                assertThat(client.next(10)).isEqualTo("close:1000");
                assertThat(client.awaitClosed(10)).isTrue();
            }
            assertThat(echo.upgradeHeaders()).containsExactly("websocket");
            assertThat(gateway.stats()).contains("upstream_cx_connect_fail: 0", "downstream_cx_upgrades_total: 1");
        }
    }

    @Test
    void aWebSocketOverMutualTlsTerminationRelaysUnderTheClientsTls() throws Exception {
        TestPki.Issued ca = TestPki.ca("server CA");
        TestPki.server(ca, "ws.example.com").write(dir.resolve("server.crt"), dir.resolve("server.key"));
        TestPki.Issued clients = TestPki.ca("client CA");
        clients.write(dir.resolve("clients.crt"), dir.resolve("clients.key"));
        TestPki.Issued web = TestPki.client(clients, "web", List.of(), List.of("spiffe://cluster.local/ns/shop/sa/web"));
        try (WebSocketEchoUpstream echo = new WebSocketEchoUpstream(); RoutedGateway gateway = new RoutedGateway()) {
            DownstreamTlsContext mutual = TlsResources.downstream(TlsResources.trusting(TlsResources.fileCertificate(
                    dir.resolve("server.crt"), dir.resolve("server.key")), dir.resolve("clients.crt")), true);
            gateway.serve(Resources.withWebSocket(TlsResources.listener(gateway.port,
                            List.of(TlsResources.httpsChain("80", mutual, "ws.example.com")))),
                    Resources.routes("80", Resources.virtualHost("ws", List.of("*"), CLUSTER)),
                    Map.of(CLUSTER, List.of("127.0.0.1:" + echo.port())));
            SslContext clientTls = SslContextBuilder.forClient().trustManager(ca.certificate())
                    .keyManager(web.key(), web.chain().toArray(X509Certificate[]::new)).build();
            try (WebSocketClient client = new WebSocketClient("127.0.0.1", gateway.port, "ws.example.com", "/ws",
                    clientTls)) {
                client.handshake().get(10, TimeUnit.SECONDS);
                for (int i = 0; i < 200; i++) {
                    client.sendBinary(new byte[] {(byte) i});
                }
                for (int i = 0; i < 200; i++) {
                    assertThat(client.next(10)).isEqualTo("binary:" + HexFormat.of().toHexDigits((byte) i));
                }
                client.sendClose();
                assertThat(client.next(10)).isEqualTo("close:1000");
                assertThat(client.awaitClosed(10)).isTrue();
            }
            assertThat(gateway.stats()).contains("downstream_cx_upgrades_total: 1");
        }
    }
}
