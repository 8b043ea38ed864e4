package dev.windlass.proxy.admin;

import com.sun.net.httpserver.HttpServer;
import dev.windlass.proxy.Role;
import dev.windlass.proxy.testing.ProxyHarness;
import dev.windlass.proxy.testing.RawHttp;
import dev.windlass.proxy.testing.TestAdsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rewritten app probes: the kubelet's GET on 15020 /app-health/... is performed against the app by the proxy. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AppHealthTest {
    private HttpServer app;
    private TestAdsServer ads;
    private ProxyHarness sidecar;
    private volatile String lastProbeHeader;

    @BeforeEach
    void start() throws Exception {
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        app.createContext("/healthz", exchange -> {
            lastProbeHeader = exchange.getRequestHeaders().getFirst("X-Probe");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        app.createContext("/broken", exchange -> {
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        app.start();
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        int port = app.getAddress().getPort();
        String probers = "{\"/app-health/web/readyz\":{\"httpGet\":{\"path\":\"/healthz\",\"port\":" + port
                + ",\"scheme\":\"HTTP\",\"httpHeaders\":[{\"name\":\"X-Probe\",\"value\":\"kubelet\"}]},\"timeoutSeconds\":2},"
                + "\"/app-health/web/livez\":{\"httpGet\":{\"path\":\"/broken\",\"port\":" + port + "},\"timeoutSeconds\":1},"
                + "\"/app-health/web/startupz\":{\"httpGet\":{\"path\":\"/\",\"port\":" + closed + "},\"timeoutSeconds\":1}}";
        ads = new TestAdsServer();
        sidecar = new ProxyHarness(Role.SIDECAR, ads.address(), Map.of("WINDLASS_KUBE_APP_PROBERS", probers));
    }

    @AfterEach
    void stop() throws Exception {
        sidecar.close();
        ads.close();
        app.stop(0);
    }

    @Test
    void theProbeReachesTheAppWithItsHeadersAndReturnsItsStatus() throws Exception {
        assertThat(probe("/app-health/web/readyz")).isEqualTo(200);
        assertThat(lastProbeHeader).isEqualTo("kubelet");
        assertThat(probe("/app-health/web/livez")).isEqualTo(500);
        assertThat(probe("/app-health/web/startupz")).isEqualTo(503);
        assertThat(probe("/app-health/other/readyz")).isEqualTo(404);
        // The port's other endpoints are unchanged.
        assertThat(probe("/stats/prometheus")).isEqualTo(200);
    }

    @Test
    void badProbersJsonIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> AppProbers.parse("{nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("WINDLASS_KUBE_APP_PROBERS: not JSON");
    }

    private int probe(String path) throws Exception {
        return RawHttp.get(sidecar.proxy.port("merged"), path).status();
    }
}
