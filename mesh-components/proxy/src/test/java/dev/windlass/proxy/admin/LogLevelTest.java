package dev.windlass.proxy.admin;

import dev.windlass.proxy.Log;
import dev.windlass.proxy.Role;
import dev.windlass.proxy.testing.ProxyHarness;
import dev.windlass.proxy.testing.RawHttp;
import dev.windlass.proxy.testing.TestAdsServer;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin's /logging: GET reads the proxy's log level, POST ?level= changes it at once, bad input changes nothing. */
class LogLevelTest {
    @AfterEach
    void restore() {
        Log.level("info");
    }

    @Test
    void getShowsTheLevelAndPostSetsIt() {
        Log.level("info");
        assertThat(call(HttpMethod.GET, "/logging")).isEqualTo(new AdminResponse(200, "text/plain; charset=utf-8",
                "active loggers:\n  windlass-proxy: info\n"));
        assertThat(Log.debugEnabled()).isFalse();
        assertThat(call(HttpMethod.POST, "/logging?level=debug").body()).isEqualTo("active loggers:\n  windlass-proxy: debug\n");
        assertThat(Log.debugEnabled()).isTrue();
        assertThat(call(HttpMethod.GET, "/logging").body()).endsWith("windlass-proxy: debug\n");
    }

    @Test
    void aChangeNeedsPostAndAKnownLevel() {
        Log.level("warning");
        assertThat(call(HttpMethod.GET, "/logging?level=debug").status()).isEqualTo(405);
        AdminResponse bad = call(HttpMethod.POST, "/logging?level=loud");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("level: 'loud' is not one of trace, debug, info, warning, error, off\n");
        assertThat(Log.level()).isEqualTo("warning");
    }

    /** Through a running proxy's admin port, as the CLI's port-forward reaches it. */
    @Test
    void theAdminPortServesIt() throws Exception {
        try (TestAdsServer ads = new TestAdsServer(); ProxyHarness sidecar = new ProxyHarness(Role.SIDECAR, ads.address(), Map.of());
             Socket socket = new Socket("127.0.0.1", sidecar.proxy.port("admin"))) {
            socket.setSoTimeout(10_000);
            RawHttp.Response set = RawHttp.send(socket, "POST /logging?level=error HTTP/1.1\r\nHost: admin\r\nContent-Length: 0\r\n\r\n");
            assertThat(set.status()).isEqualTo(200);
            assertThat(sidecar.admin("/logging")).isEqualTo("active loggers:\n  windlass-proxy: error\n");
        }
    }

    private static AdminResponse call(HttpMethod method, String uri) {
        return LogLevel.handle(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri));
    }
}
