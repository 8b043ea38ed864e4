package dev.windlass.init;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The program end to end, in-process, with a fake iptables-restore on PATH. */
class MainTest {
    @TempDir
    Path bin;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void dryRunPrintsExactlyTheRulesAndAppliesNothing() {
        int code = run(Map.of("PATH", bin.toString(), "EXCLUDE_INBOUND_PORTS", "9090"), "--dry-run");
        assertThat(code).isEqualTo(Main.OK);
        assertThat(out()).isEqualTo(NatRules.of(CaptureConfig.defaults().withExcludeInboundPorts(java.util.Set.of(9090)))
                .toRestoreInput());
        assertThat(err()).contains("EXCLUDE_INBOUND_PORTS=\"9090\"", "--dry-run");
    }

    @Test
    void badValueExitsTwoNamingTheVariableAndValue() {
        int code = run(Map.of("EXCLUDE_OUTBOUND_IP_RANGES", "10.0.0.0/8,not-a-cidr"), "--dry-run");
        assertThat(code).isEqualTo(Main.BAD_CONFIG);
        assertThat(err()).contains("windlass-init: EXCLUDE_OUTBOUND_IP_RANGES=10.0.0.0/8,not-a-cidr: "
                + "'not-a-cidr' is not a CIDR");
        assertThat(out()).isEmpty();
    }

    @Test
    void badFlagExitsTwoNamingTheFlagAndValue() {
        int code = run(Map.of(), "--exclude-inbound-ports=70000");
        assertThat(code).isEqualTo(Main.BAD_CONFIG);
        assertThat(err()).contains("--exclude-inbound-ports=70000: port 70000 is out of range (1 to 65535)");
    }

    @Test
    void unknownArgumentExitsTwo() {
        assertThat(run(Map.of(), "--nope")).isEqualTo(Main.BAD_CONFIG);
        assertThat(err()).contains("unknown argument --nope");
    }

    @Test
    void helpExitsZero() {
        assertThat(run(Map.of(), "--help")).isEqualTo(Main.OK);
        assertThat(out()).contains("Usage: windlass-init", "Exit codes");
    }

    @Test
    void appliesTheRulesWithIptablesRestoreNoflush() throws IOException {
        Path received = bin.resolve("received");
        fakeIptablesRestore("echo \"$*\" > " + bin.resolve("args") + "\ncat > " + received + "\nexit 0\n");
        int code = run(Map.of("PATH", "/nonexistent:" + bin));
        assertThat(code).isEqualTo(Main.OK);
        String rules = NatRules.of(CaptureConfig.defaults()).toRestoreInput();
        assertThat(Files.readString(received)).isEqualTo(rules);
        assertThat(Files.readString(bin.resolve("args"))).isEqualTo("--noflush\n");
        assertThat(out()).isEqualTo(rules);
        assertThat(err()).contains("rules applied");
    }

    @Test
    void failingIptablesRestoreExitsOneAndShowsItsStandardError() throws IOException {
        fakeIptablesRestore("cat > /dev/null\necho 'iptables-restore: line 9 failed' >&2\nexit 4\n");
        int code = run(Map.of("PATH", bin.toString()));
        assertThat(code).isEqualTo(Main.APPLY_FAILED);
        assertThat(err()).contains("failed with exit code 4", "iptables-restore: line 9 failed");
        assertThat(out()).as("the rules were printed before applying").startsWith("*nat\n");
    }

    @Test
    void missingIptablesRestoreExitsOne() {
        int code = run(Map.of("PATH", bin.toString()));
        assertThat(code).isEqualTo(Main.APPLY_FAILED);
        assertThat(err()).contains("iptables-restore not found on PATH (" + bin + ")");
    }

    private void fakeIptablesRestore(String body) throws IOException {
        Path script = bin.resolve(IptablesRestore.BINARY);
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
