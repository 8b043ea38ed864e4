package dev.windlass.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The outlier flag of the proxy's /clusters lines becomes OUTLIER-CHECK, as istioctl shows it. */
class ProxyConfigEndpointsTest {
    private static final String CLUSTER = "outbound|8000||httpbin.od.svc.cluster.local";

    @Test
    void anEjectedHostIsHealthyWithAFailedOutlierCheck() {
        String clusters = CLUSTER + "::default_priority::max_requests::1024\n"
                + CLUSTER + "::10.0.0.1:8080::health_flags::/failed_outlier_check\n"
                + CLUSTER + "::10.0.0.1:8080::rq_active::0\n"
                + CLUSTER + "::10.0.0.2:8080::health_flags::healthy\n"
                + CLUSTER + "::10.0.0.3:8080::health_flags::/failed_eds_health/failed_outlier_check\n";
        assertThat(ProxyConfigEndpoints.parse(clusters)).containsExactly(
                new ProxyConfigEndpoints.Endpoint("10.0.0.1:8080", "HEALTHY", "FAILED", CLUSTER),
                new ProxyConfigEndpoints.Endpoint("10.0.0.2:8080", "HEALTHY", "OK", CLUSTER),
                new ProxyConfigEndpoints.Endpoint("10.0.0.3:8080", "UNHEALTHY (/FAILED_EDS_HEALTH)", "FAILED", CLUSTER));
    }
}
