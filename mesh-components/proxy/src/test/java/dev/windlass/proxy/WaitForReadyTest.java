package dev.windlass.proxy;

import dev.windlass.contract.ProxyImage;
import dev.windlass.proxy.testing.ProxyHarness;
import dev.windlass.proxy.testing.TestAdsServer;
import dev.windlass.proxy.testing.TestMesh;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code wait} role behind holdApplicationUntilProxyStarts: it returns only once the proxy answers ready. */
class WaitForReadyTest {
    @Test
    void waitsUntilTheProxyHasItsFirstConfigurationAndNotLonger() throws Exception {
        try (TestAdsServer ads = new TestAdsServer();
             ProxyHarness sidecar = new ProxyHarness(Role.SIDECAR, ads.address(), Map.of())) {
            WaitForReady wait = new WaitForReady(sidecar.proxy.port("readiness"), Duration.ofSeconds(1));
            long start = System.nanoTime();
            assertThat(wait.await()).as("no configuration yet").isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));

            TestMesh.serveAll(ads, "1", 8080, List.of(), List.of());
            assertThat(new WaitForReady(sidecar.proxy.port("readiness"), Duration.ofSeconds(30)).await()).isTrue();
        }
    }

    @Test
    void nothingListeningIsNotReady() throws Exception {
        try (var socket = new java.net.ServerSocket(0)) {
            int closedPort = socket.getLocalPort();
            socket.close();
            assertThat(new WaitForReady(closedPort, Duration.ofMillis(300)).await()).isFalse();
        }
    }

    @Test
    void theTimeoutIsAFlagAndTheDefaultIsIstios() {
        assertThat(WaitForReady.parse(new String[0], 15021).timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(WaitForReady.parse(new String[]{"--timeout-seconds=5"}, 15021).timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> WaitForReady.parse(new String[]{"--port=1"}, 15021)).hasMessageContaining("--timeout-seconds");
    }

    /** The injector's hook command runs this role: the image's @argfile names the proxy's main class and {@code wait}. */
    @Test
    void theImagesWaitCommandRunsTheWaitRole() throws Exception {
        assertThat(ProxyImage.WAIT_COMMAND).containsExactly("/opt/java/bin/java", "@/app/wait");
        List<String> argfile = Files.readAllLines(Path.of("src/main/jib/app/wait"));
        assertThat(argfile.subList(argfile.size() - 2, argfile.size())).containsExactly(Main.class.getName(), "wait");
    }
}
