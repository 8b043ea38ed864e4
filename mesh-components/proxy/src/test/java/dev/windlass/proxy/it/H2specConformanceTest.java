package dev.windlass.proxy.it;

import dev.windlass.proxy.Role;
import dev.windlass.proxy.testing.H2spec;
import dev.windlass.proxy.testing.ProxyHarness;
import dev.windlass.proxy.testing.TestAdsServer;
import dev.windlass.proxy.testing.TestH2cUpstream;
import dev.windlass.proxy.testing.TestMesh;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * h2spec, every case of its generic, http2 and hpack groups, against the sidecar's inbound capture port alone: a
 * client speaking h2c with prior knowledge to an app port whose inbound cluster speaks h2c to the app (a Netty h2c
 * server answering 200 with a body to any request). No case may fail or be skipped.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class H2specConformanceTest {
    /** h2spec v2.2.1's cases without --strict (docs/testing.md). */
    private static final int CASES = 145;

    @TempDir
    Path reports;

    @Test
    void theSidecarsH2cInboundPassesEveryH2specCase() throws Exception {
        Path h2spec = H2spec.binary();
        try (TestAdsServer ads = new TestAdsServer(); TestH2cUpstream app = new TestH2cUpstream("app");
             ProxyHarness sidecar = new ProxyHarness(Role.SIDECAR, ads.address(), Map.of())) {
            int appPort = app.port();
            TestMesh.serveH2cInbound(ads, "1", appPort);
            sidecar.awaitReady(Duration.ofSeconds(10));
            // h2spec's connections come from ports the test cannot name in advance: all were sent to the app port.
            sidecar.resolver.redirectOthersFrom(new InetSocketAddress("10.1.1.1", appPort));

            H2spec.Report report = H2spec.run(h2spec, "127.0.0.1", sidecar.inbound(), reports);

            assertThat(report.of("failure")).as(report.output()).isEmpty();
            assertThat(report.of("error")).as(report.output()).isEmpty();
            assertThat(report.of("skipped")).as(report.output()).isEmpty();
            assertThat(report.tests()).as(report.output()).isEqualTo(CASES);
            assertThat(app.requests()).as("the cases that need an answer reached the app").isPositive();
        }
    }
}
