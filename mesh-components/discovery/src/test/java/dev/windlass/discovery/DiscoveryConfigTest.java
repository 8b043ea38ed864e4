package dev.windlass.discovery;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The webhook configurations whose caBundle the server writes: the operator's env vars, else profiles' names. */
class DiscoveryConfigTest {
    @Test
    void theWebhookConfigurationNamesComeFromTheOperatorsEnvironment() {
        DiscoveryConfig config = DiscoveryConfig.parse(new String[0], Map.of("POD_NAMESPACE", "mesh",
                "INJECTION_WEBHOOK_NAME", "injector-x", "VALIDATION_WEBHOOK_NAME", "validator-x"));
        assertThat(config.webhookConfigurationName()).isEqualTo("injector-x");
        assertThat(config.validationConfigurationName()).isEqualTo("validator-x");
    }

    @Test
    void withoutThemTheyAreProfilesNamesForTheRevision() {
        DiscoveryConfig byDefault = DiscoveryConfig.parse(new String[0], Map.of("POD_NAMESPACE", "windlass-system"));
        assertThat(byDefault.webhookConfigurationName()).isEqualTo("windlass-sidecar-injector-windlass-system");
        assertThat(byDefault.validationConfigurationName()).isEqualTo("windlass-validator-windlass-system");
        DiscoveryConfig canary = DiscoveryConfig.parse(new String[]{"--validation-webhook-name="},
                Map.of("POD_NAMESPACE", "windlass-system", "REVISION", "canary"));
        assertThat(canary.validationConfigurationName()).isEqualTo("windlass-validator-canary-windlass-system");
    }

    /** The plaintext port serves anyone any proxy's configuration: off unless a flag or XDS_PORT turns it on. */
    @Test
    void thePlaintextXdsPortIsOffUnlessAskedFor() {
        assertThat(DiscoveryConfig.parse(new String[0], Map.of()).plaintextXds()).isEmpty();
        assertThat(DiscoveryConfig.parse(new String[]{"--xds-port=off"}, Map.of()).plaintextXds()).isEmpty();
        assertThat(DiscoveryConfig.parse(new String[]{"--xds-port=15010"}, Map.of()).plaintextXds()).contains(15010);
        assertThat(DiscoveryConfig.parse(new String[0], Map.of("XDS_PORT", "15010")).plaintextXds()).contains(15010);
        assertThat(DiscoveryConfig.parse(new String[0], Map.of()).xdsTlsPort()).isEqualTo(15012);
        assertThatThrownBy(() -> DiscoveryConfig.parse(new String[]{"--xds-port=on"}, Map.of()))
                .hasMessage("xds-port must be a number >= 0, got on");
    }

    /** Go durations, as Istio's settings; short ones are for tests of the renewal. */
    @Test
    void theServingCertificatesLifetimeIsAGoDuration() {
        assertThat(DiscoveryConfig.parse(new String[0], Map.of()).servingCertTtl()).isEqualTo(Duration.ofDays(90));
        assertThat(DiscoveryConfig.parse(new String[]{"--serving-cert-ttl=8760h"}, Map.of()).servingCertTtl())
                .isEqualTo(Duration.ofDays(365));
        assertThat(DiscoveryConfig.parse(new String[0], Map.of("SERVING_CERT_TTL", "2.5s")).servingCertTtl())
                .isEqualTo(Duration.ofMillis(2500));
        for (String bad : List.of("90d", "0s", "500ms", "P90D")) {
            assertThatThrownBy(() -> DiscoveryConfig.parse(new String[]{"--serving-cert-ttl=" + bad}, Map.of()))
                    .hasMessage("serving-cert-ttl must be a duration of at least 1s such as 2160h or 90s, got " + bad);
        }
    }

    /** istiod's PILOT_JWT_PUB_KEY_REFRESH_INTERVAL: 20m by default, a Go duration. */
    @Test
    void theJwksRefreshIntervalIsAGoDuration() {
        assertThat(DiscoveryConfig.parse(new String[0], Map.of()).jwksRefreshInterval()).isEqualTo(Duration.ofMinutes(20));
        assertThat(DiscoveryConfig.parse(new String[0], Map.of("JWT_PUB_KEY_REFRESH_INTERVAL", "90s")).jwksRefreshInterval())
                .isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> DiscoveryConfig.parse(new String[]{"--jwt-pub-key-refresh-interval=0s"}, Map.of()))
                .hasMessageStartingWith("jwt-pub-key-refresh-interval must be a duration of at least 1s");
    }
}
