package dev.windlass.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A setting Windlass cannot honour is refused by the CLI before anything is applied: exit 2, one line naming it. */
class UnsupportedSettingsCliTest {
    @Test
    void aTracingSamplingRateIsRefusedWithExitCode2(@TempDir Path dir) throws IOException {
        Path mcp = Files.writeString(dir.resolve("mcp.yaml"), """
                apiVersion: mesh.windlass.dev/v1alpha1
                kind: MeshControlPlane
                metadata: {name: windlass}
                spec: {profile: demo, meshConfig: {tracing: {sampling: 100}}}
                """);
        WindlassCliTest.Result result = WindlassCliTest.run("manifest", "generate", "-f", mcp.toString());
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err().strip()).isEqualTo("windlass: " + mcp + ": not supported by Windlass: meshConfig.tracing.sampling:"
                + " Windlass does not trace requests yet; leave it out or set it to 0");
    }

    @Test
    void theDemoProfileStillRendersAndSetsNoSamplingRate() {
        WindlassCliTest.Result result = WindlassCliTest.run("profile", "dump", "demo");
        assertThat(result.code()).isZero();
        assertThat(result.out()).doesNotContain("sampling");
    }
}
