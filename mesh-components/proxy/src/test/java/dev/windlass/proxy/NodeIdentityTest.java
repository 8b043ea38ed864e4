package dev.windlass.proxy;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeIdentityTest {
    @Test
    void workloadNamesComeFromPodNames() {
        assertThat(NodeIdentity.workloadOf("reviews-v1-7bd9f8c6d4-x2k5p")).isEqualTo("reviews-v1");
        assertThat(NodeIdentity.workloadOf("web-0")).isEqualTo("web");
        assertThat(NodeIdentity.workloadOf("standalone")).isEqualTo("standalone");
        assertThat(NodeIdentity.workloadOf("job-abcde")).isEqualTo("job-abcde");
    }

    @Test
    void optionsReadTheInjectorsVariablesAndFlagsOverrideThem() throws Exception {
        ProxyOptions options = ProxyOptions.parse(Role.SIDECAR, new String[]{"--outbound-port=25001"}, Map.of(
                "POD_NAME", "productpage-v1-6b746f74dc-9stvs", "POD_NAMESPACE", "shop", "INSTANCE_IP", "10.1.2.3",
                "DISCOVERY_ADDRESS", "windlass-discovery.windlass-system.svc:15012", "ISTIO_METRIC_NAMES", "true",
                "PROXY_DRAIN_SECONDS", "9", "OUTBOUND_PORT", "1"));
        assertThat(options.identity().nodeId())
                .isEqualTo("sidecar~10.1.2.3~productpage-v1-6b746f74dc-9stvs.shop~shop.svc.cluster.local");
        assertThat(options.identity().workload()).isEqualTo("productpage-v1");
        assertThat(options.ports().outbound()).isEqualTo(25001);
        assertThat(options.ports().inbound()).isEqualTo(15006);
        assertThat(options.istioMetricNames()).isTrue();
        assertThat(options.drainTimeout().toSeconds()).isEqualTo(9);
        assertThat(options.xdsAuth().tls()).as("no CA_ROOT_CERT and no root file: plaintext").isFalse();
        assertThat(options.discoveryAddress()).isEqualTo("windlass-discovery.windlass-system.svc:15012");
        assertThat(XdsChannels.plaintextTarget(options.discoveryAddress()))
                .isEqualTo("windlass-discovery.windlass-system.svc:15010");
        ProxyOptions secure = ProxyOptions.parse(Role.SIDECAR, new String[0], Map.of("CA_ROOT_CERT", "-----BEGIN CERTIFICATE-----"));
        assertThat(secure.xdsAuth().tls()).isTrue();
        assertThat(secure.xdsAuth().tokenFile()).hasToString("/var/run/secrets/tokens/windlass-token");
        assertThat(secure.xdsAuth().certificateTtl()).isEqualTo(java.time.Duration.ofHours(24));
        java.nio.file.Path root = java.nio.file.Files.writeString(java.nio.file.Files.createTempFile("root-cert", ".pem"),
                "-----BEGIN CERTIFICATE-----\n");
        assertThat(ProxyOptions.parse(Role.ROUTER, new String[0], Map.of("CA_ROOT_CERT_FILE", root.toString())).xdsAuth()
                .caRootPem()).as("a gateway's mounted root").startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(ProxyOptions.parse(Role.SIDECAR, new String[0], Map.of("SECRET_TTL", "1m30s")).xdsAuth().certificateTtl())
                .isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(ProxyOptions.parse(Role.ROUTER, new String[0], Map.of("POD_NAME", "gw-1", "WORKLOAD_NAME", "ingress"))
                .identity().nodeId()).startsWith("router~");
    }

    @Test
    void badValuesNameTheirVariable() {
        assertThatThrownBy(() -> ProxyOptions.parse(Role.SIDECAR, new String[0], Map.of("ADMIN_PORT", "70000")))
                .hasMessage("ADMIN_PORT=70000: not a port");
        assertThatThrownBy(() -> ProxyOptions.parse(Role.SIDECAR, new String[0], Map.of("SECRET_TTL", "60 seconds")))
                .hasMessage("SECRET_TTL=60 seconds: not a duration (such as 24h, 1m30s or 60s)");
        assertThatThrownBy(() -> ProxyOptions.parse(Role.SIDECAR, new String[]{"stray"}, Map.of()))
                .hasMessageContaining("stray");
    }
}
