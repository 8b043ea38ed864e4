package dev.windlass.proxy.it;

import com.google.protobuf.Any;
import dev.windlass.proxy.testing.RoutedGateway;
import dev.windlass.proxy.testing.TcpEchoServer;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** TCP and TLS routes: weighted TCP splits per connection, and SNI picks the chain without terminating TLS. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class L4FeaturesTest {
    private static final String A = "outbound|9000|v1|echo.test.svc.cluster.local";
    private static final String B = "outbound|9000|v2|echo.test.svc.cluster.local";
    private static final String C = "outbound|9000||echo.test.svc.cluster.local";

    private TcpEchoServer a;
    private TcpEchoServer b;
    private TcpEchoServer c;
    private RoutedGateway gateway;

    @BeforeEach
    void start() throws Exception {
        a = new TcpEchoServer("A");
        b = new TcpEchoServer("B");
        c = new TcpEchoServer("C");
        gateway = new RoutedGateway();
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        a.close();
        b.close();
        c.close();
    }

    private Map<String, List<String>> endpoints() {
        return Map.of(A, List.of("127.0.0.1:" + a.port()), B, List.of("127.0.0.1:" + b.port()),
                C, List.of("127.0.0.1:" + c.port()));
    }

    private static Filter proxy(TcpProxy.Builder proxy) {
        return Filter.newBuilder().setName("envoy.filters.network.tcp_proxy").setTypedConfig(Any.pack(proxy.setStatPrefix("t").build())).build();
    }

    @Test
    void weightedTcpRoutesSplitConnectionsByWeight() throws Exception {
        TcpProxy.WeightedCluster weighted = TcpProxy.WeightedCluster.newBuilder()
                .addClusters(TcpProxy.WeightedCluster.ClusterWeight.newBuilder().setName(A).setWeight(80))
                .addClusters(TcpProxy.WeightedCluster.ClusterWeight.newBuilder().setName(B).setWeight(20)).build();
        gateway.serve(gateway.listener(FilterChain.newBuilder().addFilters(proxy(TcpProxy.newBuilder().setWeightedClusters(weighted))).build()),
                null, endpoints());
        int toA = 0;
        for (int i = 0; i < 300; i++) {
            toA += firstBytes(null).equals("A:") ? 1 : 0;
        }
        assertThat(toA / 300.0).isBetween(0.72, 0.88);
    }

    @Test
    void sniChoosesTheChainAndOtherTrafficTakesTheChainWithoutNames() throws Exception {
        gateway.serve(gateway.listener(
                sniChain("a.secure.example.com", A), sniChain("*.wild.example.com", B),
                FilterChain.newBuilder().addFilters(proxy(TcpProxy.newBuilder().setCluster(C))).build()), null, endpoints());
        assertThat(firstBytes("a.secure.example.com")).isEqualTo("A:");
        assertThat(firstBytes("x.wild.example.com")).isEqualTo("B:");
        assertThat(firstBytes("other.example.com")).isEqualTo("C:");
        assertThat(firstBytes(null)).as("not TLS at all").isEqualTo("C:");
    }

    private static FilterChain sniChain(String name, String cluster) {
        return FilterChain.newBuilder().setFilterChainMatch(FilterChainMatch.newBuilder().addServerNames(name)
                        .setTransportProtocol("tls"))
                .addFilters(proxy(TcpProxy.newBuilder().setCluster(cluster))).build();
    }

    /** Opens a connection, sends a TLS ClientHello for {@code sni} (or plain text when null), reads 2 bytes. */
    private String firstBytes(String sni) throws Exception {
        try (Socket socket = gateway.connect()) {
            socket.getOutputStream().write(sni == null ? "hello\n".getBytes(StandardCharsets.US_ASCII) : clientHello(sni));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] two = in.readNBytes(2);
            return new String(two, StandardCharsets.US_ASCII);
        }
    }

    private static byte[] clientHello(String sni) throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine(sni, 443);
        engine.setUseClientMode(true);
        SSLParameters params = engine.getSSLParameters();
        params.setServerNames(List.of(new SNIHostName(sni)));
        engine.setSSLParameters(params);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.beginHandshake();
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }
}
