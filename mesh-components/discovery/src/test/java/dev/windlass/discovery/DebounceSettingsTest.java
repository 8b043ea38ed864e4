package dev.windlass.discovery;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** values.discovery.debounce*, as the rendered Deployment passes them (DEBOUNCE_QUIET_MS, DEBOUNCE_MAX_MS). */
class DebounceSettingsTest {
    @Test
    void bothDebounceSettingsComeFromTheEnvironment() {
        DiscoveryConfig config = DiscoveryConfig.parse(new String[0], Map.of("DEBOUNCE_QUIET_MS", "250", "DEBOUNCE_MAX_MS", "3000"));
        assertThat(config.debounceQuiet()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.debounceMax()).isEqualTo(Duration.ofMillis(3000));
    }

    @Test
    void aFlagWinsOverTheEnvironment() {
        DiscoveryConfig config = DiscoveryConfig.parse(new String[]{"--debounce-max-ms=50"}, Map.of("DEBOUNCE_MAX_MS", "3000"));
        assertThat(config.debounceMax()).isEqualTo(Duration.ofMillis(50));
        assertThat(config.debounceQuiet()).isEqualTo(DiscoveryConfig.defaults().debounceQuiet());
    }
}
