package dev.windlass.init;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings from environment variables and flags, and the messages for bad values. */
class InitOptionsTest {
    private static final String[] NO_ARGS = new String[0];

    @Test
    void nothingSetGivesTheDefaults() {
        InitOptions options = InitOptions.parse(NO_ARGS, Map.of("PATH", "/usr/sbin", "HOME", "/root"));
        assertThat(options.config()).isEqualTo(CaptureConfig.defaults());
        assertThat(options.dryRun()).isFalse();
        assertThat(options.help()).isFalse();
    }

    @Test
    void defaultsAreTheDesignOnes() {
        CaptureConfig config = CaptureConfig.defaults();
        assertThat(config.proxyUid()).isEqualTo(1337);
        assertThat(config.proxyGid()).isEqualTo(1337);
        assertThat(config.inboundCapturePort()).isEqualTo(15006);
        assertThat(config.outboundCapturePort()).isEqualTo(15001);
        assertThat(config.includeOutboundIpRanges().all()).isTrue();
        assertThat(config.includeInboundPorts().all()).isTrue();
        assertThat(config.effectiveExcludedInboundPorts()).containsExactly(15000, 15020, 15021, 15090);
    }

    @Test
    void readsEveryEnvironmentVariable() {
        CaptureConfig config = InitOptions.parse(NO_ARGS, Map.of(
                "INCLUDE_OUTBOUND_IP_RANGES", "10.96.0.0/12",
                "EXCLUDE_OUTBOUND_IP_RANGES", "10.96.0.1/32",
                "INCLUDE_INBOUND_PORTS", "8080",
                "EXCLUDE_INBOUND_PORTS", "9090",
                "EXCLUDE_OUTBOUND_PORTS", "6379")).config();
        assertThat(config.includeOutboundIpRanges()).hasToString("10.96.0.0/12");
        assertThat(config.excludeOutboundIpRanges()).extracting(Ipv4Cidr::toString).containsExactly("10.96.0.1/32");
        assertThat(config.includeInboundPorts().ports()).containsExactly(8080);
        assertThat(config.excludeInboundPorts()).containsExactly(9090);
        assertThat(config.excludeOutboundPorts()).containsExactly(6379);
    }

    @Test
    void readsEveryFlagInBothForms() {
        CaptureConfig config = InitOptions.parse(new String[]{
                "--include-outbound-ip-ranges=10.96.0.0/12",
                "--exclude-outbound-ip-ranges", "10.96.0.1/32",
                "--include-inbound-ports=8080",
                "--exclude-inbound-ports", "9090",
                "--exclude-outbound-ports=6379"}, Map.of()).config();
        assertThat(config).isEqualTo(InitOptions.parse(NO_ARGS, Map.of(
                "INCLUDE_OUTBOUND_IP_RANGES", "10.96.0.0/12",
                "EXCLUDE_OUTBOUND_IP_RANGES", "10.96.0.1/32",
                "INCLUDE_INBOUND_PORTS", "8080",
                "EXCLUDE_INBOUND_PORTS", "9090",
                "EXCLUDE_OUTBOUND_PORTS", "6379")).config());
    }

    @Test
    void aFlagWinsOverItsVariableEvenWhenTheVariableIsBad() {
        CaptureConfig config = InitOptions.parse(new String[]{"--exclude-inbound-ports=9090"},
                Map.of("EXCLUDE_INBOUND_PORTS", "not-a-port")).config();
        assertThat(config.excludeInboundPorts()).containsExactly(9090);
    }

    @Test
    void emptyIncludeVariablesSwitchCaptureOff() {
        CaptureConfig config = InitOptions.parse(NO_ARGS,
                Map.of("INCLUDE_OUTBOUND_IP_RANGES", "", "INCLUDE_INBOUND_PORTS", "")).config();
        assertThat(config.includeOutboundIpRanges()).isEqualTo(IpRanges.NONE);
        assertThat(config.includeInboundPorts()).isEqualTo(PortSelection.NONE);
    }

    @Test
    void readsDryRunAndHelp() {
        assertThat(InitOptions.parse(new String[]{"--dry-run"}, Map.of()).dryRun()).isTrue();
        assertThat(InitOptions.parse(new String[]{"--help"}, Map.of()).help()).isTrue();
        assertThat(InitOptions.parse(new String[]{"-h"}, Map.of()).help()).isTrue();
    }

    @Test
    void badVariableValueNamesTheVariableAndTheValue() {
        assertThatThrownBy(() -> InitOptions.parse(NO_ARGS, Map.of("EXCLUDE_OUTBOUND_IP_RANGES", "10.0.0.0/8,bogus")))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> {
                    assertThat(e.source()).isEqualTo("EXCLUDE_OUTBOUND_IP_RANGES");
                    assertThat(e.value()).isEqualTo("10.0.0.0/8,bogus");
                })
                .hasMessage("EXCLUDE_OUTBOUND_IP_RANGES=10.0.0.0/8,bogus: 'bogus' is not a CIDR (expected a.b.c.d/n)");
    }

    @Test
    void badFlagValueNamesTheFlagAndTheValue() {
        assertThatThrownBy(() -> InitOptions.parse(new String[]{"--include-inbound-ports", "80,99999"}, Map.of()))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("--include-inbound-ports=80,99999: port 99999 is out of range (1 to 65535)");
        assertThatThrownBy(() -> InitOptions.parse(new String[]{"--exclude-outbound-ports=0"}, Map.of()))
                .hasMessage("--exclude-outbound-ports=0: port 0 is out of range (1 to 65535)");
    }

    @ParameterizedTest
    @EnumSource(value = TrafficSetting.class, names = {"EXCLUDE_OUTBOUND_IP_RANGES", "EXCLUDE_INBOUND_PORTS",
            "EXCLUDE_OUTBOUND_PORTS"})
    void wildcardIsRefusedForExclusions(TrafficSetting setting) {
        assertThatThrownBy(() -> InitOptions.parse(NO_ARGS, Map.of(setting.envVar(), "*")))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageStartingWith(setting.envVar() + "=*: '*' is not allowed here");
    }

    @Test
    void unknownArgumentsAndMissingValuesAreUsageErrors() {
        assertThatThrownBy(() -> InitOptions.parse(new String[]{"--frobnicate"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessage("unknown argument --frobnicate");
        assertThatThrownBy(() -> InitOptions.parse(new String[]{"init"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessage("unknown argument init");
        assertThatThrownBy(() -> InitOptions.parse(new String[]{"--exclude-inbound-ports"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessage("--exclude-inbound-ports needs a value");
    }

    @Test
    void settingsNameTheirVariableFlagAndAnnotation() {
        assertThat(TrafficSetting.INCLUDE_OUTBOUND_IP_RANGES.envVar()).isEqualTo("INCLUDE_OUTBOUND_IP_RANGES");
        assertThat(TrafficSetting.INCLUDE_OUTBOUND_IP_RANGES.flag()).isEqualTo("--include-outbound-ip-ranges");
        assertThat(TrafficSetting.INCLUDE_OUTBOUND_IP_RANGES.annotation())
                .isEqualTo("traffic.sidecar.windlass.dev/includeOutboundIPRanges");
        assertThat(TrafficSetting.EXCLUDE_OUTBOUND_PORTS.annotation())
                .isEqualTo("traffic.sidecar.windlass.dev/excludeOutboundPorts");
    }

    @Test
    void usageListsEverySetting() {
        for (TrafficSetting setting : TrafficSetting.values()) {
            assertThat(InitOptions.usage()).contains(setting.flag(), setting.envVar(), setting.annotation());
        }
    }
}
