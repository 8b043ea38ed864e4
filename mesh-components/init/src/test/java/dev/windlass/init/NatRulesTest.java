package dev.windlass.init;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Properties of the generated rules that hold for every config, and the ordering the semantics depend on. */
class NatRulesTest {
    private final CaptureConfig defaults = CaptureConfig.defaults();

    @Test
    void declaresTheFourChainsInTheNatTableAndCommits() {
        String text = NatRules.of(defaults).toRestoreInput();
        assertThat(text).startsWith("*nat\n:WINDLASS_INBOUND - [0:0]\n:WINDLASS_REDIRECT - [0:0]\n"
                + ":WINDLASS_IN_REDIRECT - [0:0]\n:WINDLASS_OUTPUT - [0:0]\n").endsWith("\nCOMMIT\n");
        assertThat(NatRules.of(defaults).rules()).allMatch(rule -> rule.startsWith("-A "));
    }

    @Test
    void redirectChainsGoToTheCapturePorts() {
        assertThat(NatRules.of(defaults).rules()).contains(
                "-A WINDLASS_REDIRECT -p tcp -j REDIRECT --to-ports 15001",
                "-A WINDLASS_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006");
    }

    @Test
    void proxyPortsAreExcludedFromInboundCaptureBeforeTheRedirect() {
        List<String> rules = NatRules.of(defaults).rules();
        int redirect = rules.indexOf("-A WINDLASS_INBOUND -p tcp -j WINDLASS_IN_REDIRECT");
        for (int port : List.of(15000, 15020, 15021, 15090)) {
            assertThat(rules.indexOf("-A WINDLASS_INBOUND -p tcp --dport " + port + " -j RETURN"))
                    .as("port %d", port).isBetween(0, redirect - 1);
        }
    }

    @Test
    void proxyOwnedTrafficReturnsBeforeTheOutboundRedirect() {
        List<String> rules = NatRules.of(defaults).rules();
        int redirect = rules.indexOf("-A WINDLASS_OUTPUT -j WINDLASS_REDIRECT");
        assertThat(redirect).isEqualTo(rules.size() - 1);
        assertThat(rules.subList(0, redirect)).contains(
                "-A WINDLASS_OUTPUT -m owner --uid-owner 1337 -j RETURN",
                "-A WINDLASS_OUTPUT -m owner --gid-owner 1337 -j RETURN",
                "-A WINDLASS_OUTPUT -o lo -s 127.0.0.6/32 -j RETURN",
                "-A WINDLASS_OUTPUT -d 127.0.0.1/32 -j RETURN");
        assertThat(rules.indexOf("-A WINDLASS_OUTPUT -o lo ! -d 127.0.0.1/32 -m owner --uid-owner 1337 -j WINDLASS_IN_REDIRECT"))
                .as("proxy loopback to the pod address goes inbound, before the proxy's own traffic returns")
                .isLessThan(rules.indexOf("-A WINDLASS_OUTPUT -m owner --uid-owner 1337 -j RETURN"));
    }

    @Test
    void anExcludedPortIsNeverCapturedEvenWhenListed() {
        CaptureConfig config = defaults.withIncludeInboundPorts(PortSelection.of(Set.of(8080, 15021, 9000)))
                .withExcludeInboundPorts(Set.of(9000));
        assertThat(NatRules.of(config).rules()).filteredOn(rule -> rule.startsWith("-A WINDLASS_INBOUND"))
                .containsExactly("-A WINDLASS_INBOUND -p tcp --dport 8080 -j WINDLASS_IN_REDIRECT");
    }

    @Test
    void emptyInboundSelectionCapturesNoInboundTraffic() {
        List<String> rules = NatRules.of(defaults.withIncludeInboundPorts(PortSelection.NONE)).rules();
        assertThat(rules).noneMatch(rule -> rule.startsWith("-A PREROUTING") || rule.startsWith("-A WINDLASS_INBOUND"));
    }

    @Test
    void emptyOutboundSelectionNeverJumpsToTheOutboundRedirect() {
        List<String> rules = NatRules.of(defaults.withIncludeOutboundIpRanges(IpRanges.NONE)).rules();
        assertThat(rules).noneMatch(rule -> rule.endsWith("-j WINDLASS_REDIRECT"));
        assertThat(rules).contains("-A OUTPUT -p tcp -j WINDLASS_OUTPUT");
    }

    @Test
    void exclusionsComeBeforeInclusions() {
        CaptureConfig config = defaults
                .withIncludeOutboundIpRanges(IpRanges.of(List.of(Ipv4Cidr.parse("10.0.0.0/8"))))
                .withExcludeOutboundIpRanges(List.of(Ipv4Cidr.parse("10.1.0.0/16")));
        List<String> rules = NatRules.of(config).rules();
        assertThat(rules.indexOf("-A WINDLASS_OUTPUT -d 10.1.0.0/16 -j RETURN"))
                .isGreaterThan(0)
                .isLessThan(rules.indexOf("-A WINDLASS_OUTPUT -d 10.0.0.0/8 -j WINDLASS_REDIRECT"));
    }

    @Test
    void excludedOutboundPortsReturnFirst() {
        List<String> rules = NatRules.of(defaults.withExcludeOutboundPorts(Set.of(5432))).rules();
        assertThat(rules.get(rules.indexOf("-A OUTPUT -p tcp -j WINDLASS_OUTPUT") + 1))
                .isEqualTo("-A WINDLASS_OUTPUT -p tcp --dport 5432 -j RETURN");
    }

    @Test
    void orderOfTheAnnotationValuesDoesNotMatter() {
        CaptureConfig one = defaults.withExcludeInboundPorts(List.of(9090, 8443))
                .withExcludeOutboundIpRanges(List.of(Ipv4Cidr.parse("10.0.0.0/8"), Ipv4Cidr.parse("1.2.3.4/32")));
        CaptureConfig other = defaults.withExcludeInboundPorts(List.of(8443, 9090, 8443))
                .withExcludeOutboundIpRanges(List.of(Ipv4Cidr.parse("1.2.3.4/32"), Ipv4Cidr.parse("10.9.9.9/8")));
        assertThat(NatRules.of(one).toRestoreInput()).isEqualTo(NatRules.of(other).toRestoreInput());
        assertThat(one).isEqualTo(other);
    }

    @Test
    void rulesAreImmutable() {
        List<String> rules = NatRules.of(defaults).rules();
        assertThatThrownBy(() -> rules.add("-A OUTPUT -j ACCEPT")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> defaults.excludeInboundPorts().add(1)).isInstanceOf(UnsupportedOperationException.class);
    }
}
