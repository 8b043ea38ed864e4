package dev.windlass.proxy.it;

import dev.windlass.proxy.testing.RawHttp;
import dev.windlass.proxy.testing.Resources;
import dev.windlass.proxy.testing.RoutedGateway;
import dev.windlass.proxy.testing.TestUpstream;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keep-alive connections and listener updates, on real sockets: an update that keeps a connection's filter chain
 * leaves the connection alone; one that changes the chain (a new policy) drains it, so the client's next request
 * meets the new chain on a new connection.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChainDrainTest {
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

    @Test
    void anIdleConnectionIsClosedWhenItsChainChangesAndKeptWhenItDoesNot() throws Exception {
        serve("one");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", gateway.port), 3000);
            socket.setSoTimeout(10_000);
            assertThat(RawHttp.send(socket, RawHttp.get("/a", "app")).status()).isEqualTo(200);

            serve("one");
            assertThat(RawHttp.send(socket, RawHttp.get("/b", "app")).status())
                    .as("the same chain again: the connection serves on").isEqualTo(200);

            serve("two");
            assertThat(socket.getInputStream().read()).as("the chain changed: the idle connection is closed").isEqualTo(-1);
        }
        assertThat(RawHttp.get(gateway.port, "/c").status()).as("a new connection meets the new chain").isEqualTo(200);
    }

    /** The listener with one chain named {@code chain}: a new name is a changed chain, as a new policy would be. */
    private void serve(String chain) throws Exception {
        Listener listener = gateway.listener(FilterChain.newBuilder().setName(chain).addFilters(Resources.hcm("80")).build());
        RouteConfiguration routes = Resources.routes("80", Resources.virtualHost("app", List.of("*"), CLUSTER));
        gateway.serve(listener, routes, Map.of(CLUSTER, List.of(upstream.address())));
    }
}
