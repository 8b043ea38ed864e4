package dev.windlass.discovery;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

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
}
