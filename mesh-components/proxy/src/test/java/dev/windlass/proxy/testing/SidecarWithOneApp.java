package dev.windlass.proxy.testing;

import dev.windlass.proxy.Role;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A sidecar in this JVM serving {@link TestMesh}'s resources, where one real HTTP/1.1 app is both the sidecar's
 * own app (inbound) and the only reviews endpoint (outbound): whatever reaches an app, either way, is counted by
 * {@link TestUpstream#arrivals()} in one place.
 */
public final class SidecarWithOneApp implements AutoCloseable {
    public final TestAdsServer ads;
    public final TestUpstream app;
    public final ProxyHarness sidecar;

    public SidecarWithOneApp() throws Exception {
        ads = new TestAdsServer();
        app = new TestUpstream("app");
        sidecar = new ProxyHarness(Role.SIDECAR, ads.address(), Map.of());
        TestMesh.serveAll(ads, "1", app.port(), List.of(app.address()), List.of());
        sidecar.awaitReady(Duration.ofSeconds(10));
    }

    @Override
    public void close() throws Exception {
        sidecar.close();
        ads.close();
        app.close();
    }
}
