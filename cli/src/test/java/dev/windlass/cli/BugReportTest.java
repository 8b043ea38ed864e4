package dev.windlass.cli;

import dev.windlass.cli.WindlassCliTest.Result;
import dev.windlass.profiles.Yaml;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.windlass.cli.WindlassCliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code windlass bug-report}: Secrets keep their keys but lose their values, the archive is a tar.gz that the
 * system's {@code tar} extracts to the same files, and a bad --output is refused with exit code 2.
 */
class BugReportTest {
    @TempDir
    Path dir;

    @Test
    void secretValuesAreRedactedAndOtherObjectsKept() {
        List<HasMetadata> objects = List.of(
                new SecretBuilder().withNewMetadata().withName("cacerts").withNamespace("windlass-system").endMetadata()
                        .addToData("ca-key.pem", "c2VjcmV0").addToStringData("token", "hunter2").build(),
                new ConfigMapBuilder().withNewMetadata().withName("mesh").endMetadata().addToData("mesh", "outboundTrafficPolicy: ALLOW_ANY").build());

        String yaml = Yaml.writeAll(BugReportArchive.redacted(objects));

        assertThat(yaml).contains("ca-key.pem: <redacted>", "token: <redacted>", "outboundTrafficPolicy: ALLOW_ANY")
                .doesNotContain("c2VjcmV0", "hunter2");
    }

    @Test
    void theArchiveIsATarGzTheSystemTarReads() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("objects.yaml", "kind: Deployment\n");
        files.put("logs/windlass-discovery-abc/discovery.log", "line\n".repeat(300));
        files.put("proxies/reviews-v1-abc.bookinfo-config_dump.json", "{\"configs\": []}");
        files.put("errors.txt", "\n");
        Path archive = dir.resolve("bug-report.tar.gz");

        BugReportArchive.write(archive, files);

        Path out = Files.createDirectory(dir.resolve("out"));
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", out.toString()).redirectErrorStream(true).start();
        String tarOutput = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor()).as(tarOutput).isZero();
        for (Map.Entry<String, String> file : files.entrySet()) {
            assertThat(out.resolve(file.getKey())).hasContent(file.getValue());
        }
    }

    @Test
    void aBadOutputIsNamedWithExitCode2() {
        Result result = run("bug-report", "-o", "/nonexistent-dir/report.tar.gz", "--kubeconfig=/nonexistent");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("windlass: --output: /nonexistent-dir/report.tar.gz: no such directory /nonexistent-dir\n");
        assertThat(run("bug-report", "-i", "Bad", "--kubeconfig=/nonexistent").err())
                .isEqualTo("windlass: --mesh-namespace: 'Bad' is not a namespace name\n");
    }
}
