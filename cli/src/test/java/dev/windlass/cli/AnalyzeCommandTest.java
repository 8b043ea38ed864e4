package dev.windlass.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** windlass analyze on files alone (--use-kube=false): istioctl's lines, closing lines and exit codes. */
class AnalyzeCommandTest {
    private static final String SERVICES = """
            apiVersion: v1
            kind: Service
            metadata: {name: reviews}
            spec: {selector: {app: reviews}, ports: [{name: http, port: 9080}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: reviews-v1, labels: {app: reviews, version: v1}}
            """;

    @TempDir
    Path dir;

    @Test
    void aMissingSubsetAndAMissingHostAreErrorsWithTheirFileLineAndExit79() throws IOException {
        Path vs = write("reviews.yaml", SERVICES + """
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: reviews
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - destination:
                        host: reviews
                        subset: v4
                      weight: 90
                    - destination:
                        host: ratings
                      weight: 10
                """);
        WindlassCliTest.Result result = WindlassCliTest.run("analyze", "--use-kube=false", vs.toString());
        assertThat(result.code()).isEqualTo(79);
        assertThat(result.out()).isEqualTo("""
                Error [IST0101] (VirtualService default/reviews %1$s:23) Referenced host not found: "ratings"
                Error [IST0101] (VirtualService default/reviews %1$s:20) Referenced host+subset in destinationrule not found: "reviews+v4"
                """.formatted(vs));
        assertThat(result.err()).isEqualTo("""
                Error: Analyzers found issues when analyzing namespace: default.
                See https://istio.io/latest/docs/reference/config/analysis for more information about causes and resolutions.
                """);
    }

    @Test
    void cleanFilesSaySoAndExitZero() throws IOException {
        Path services = write("services.yaml", SERVICES);
        Path rules = write("rules.yaml", """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews}
                spec: {host: reviews, subsets: [{name: v1, labels: {version: v1}}]}
                """);
        WindlassCliTest.Result result = WindlassCliTest.run("analyze", "--use-kube=false", "-f", services.toString(), rules.toString());
        assertThat(result.code()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("✔ No validation issues found when analyzing " + services + "\n" + rules + ".\n");
    }

    @Test
    void warningsArePrintedButFailOnlyAtAWarningThreshold() throws IOException {
        Path rule = write("ghost.yaml", """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: ghost, namespace: shop}
                spec: {host: ghost.example.com}
                """);
        String line = "Warning [IST0174] (DestinationRule shop/ghost " + rule + ":4) The host ghost.example.com defined in "
                + "the DestinationRule does not match any services in the mesh.\n";
        WindlassCliTest.Result result = WindlassCliTest.run("analyze", "--use-kube=false", "-n", "shop", rule.toString());
        assertThat(result.code()).isZero();
        assertThat(result.out()).isEqualTo(line);
        assertThat(result.err()).isEmpty();
        result = WindlassCliTest.run("analyze", "--use-kube=false", "-n", "shop", "--failure-threshold", "Warning", rule.toString());
        assertThat(result.code()).isEqualTo(79);
        assertThat(result.err()).startsWith("Error: Analyzers found issues when analyzing namespace: shop.");
        result = WindlassCliTest.run("analyze", "--use-kube=false", "-n", "shop", "--output-threshold", "Error", rule.toString());
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("✔ No validation issues found when analyzing " + rule + ".\n");
    }

    @Test
    void onlyTheAnalysedNamespaceIsShownUnlessAllAre() throws IOException {
        Path rule = write("ghost.yaml", """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: ghost, namespace: shop}
                spec: {host: ghost.example.com}
                """);
        assertThat(WindlassCliTest.run("analyze", "--use-kube=false", rule.toString()).out()).isEmpty();
        WindlassCliTest.Result all = WindlassCliTest.run("analyze", "--use-kube=false", "-A", "--failure-threshold", "warning", rule.toString());
        assertThat(all.out()).contains("(DestinationRule shop/ghost");
        assertThat(all.err()).startsWith("Error: Analyzers found issues when analyzing all namespaces.");
    }

    @Test
    void aDirectoryIsReadAndARejectedResourceIsASchemaError() throws IOException {
        write("a.yaml", SERVICES);
        write("b.yml", """
                apiVersion: networking.istio.io/v1alpha3
                kind: VirtualService
                metadata: {name: bad}
                spec:
                  hosts: [reviews]
                  http:
                  - route: [{destination: {host: reviews}}]
                    timeout: soon
                """);
        write("notes.txt", "not read");
        WindlassCliTest.Result result = WindlassCliTest.run("analyze", "--use-kube=false", dir.toString());
        assertThat(result.code()).isEqualTo(79);
        assertThat(result.out()).isEqualTo("Error [IST0106] (VirtualService default/bad " + dir.resolve("b.yml") + ":8) Schema "
                + "validation error: spec.http[0].timeout: invalid duration \"soon\" (use e.g. 10s, 0.5s, 100ms, 1m)\n");
    }

    @Test
    void badFilesAndFlagsExitTwoWithOneLineNamingThem() throws IOException {
        Path broken = write("broken.yaml", "kind: [unclosed\n");
        WindlassCliTest.Result result = WindlassCliTest.run("analyze", "--use-kube=false", broken.toString());
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).startsWith("windlass: " + broken + ": not YAML: ").hasLineCount(1);
        result = WindlassCliTest.run("analyze", "--use-kube=false", dir.resolve("missing.yaml").toString());
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("windlass: " + dir.resolve("missing.yaml") + ": no such file\n");
        result = WindlassCliTest.run("analyze", "--use-kube=false", "--failure-threshold", "Fatal", broken.toString());
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("windlass: --failure-threshold: 'Fatal' is not one of Info, Warning, Error\n");
        assertThat(WindlassCliTest.run("analyze", "--use-kube=false").err()).isEqualTo("windlass: --use-kube=false: give the files to analyze\n");
        assertThat(WindlassCliTest.run("analyze", "-n", "Not_A_Namespace", "--use-kube=false", broken.toString()).code()).isEqualTo(2);
        assertThat(WindlassCliTest.run("analyze", "--no-such-flag").code()).isEqualTo(2);
    }

    @Test
    void everyFieldOfADocumentHasItsLine() throws IOException {
        var docs = AnalyzeFiles.parse("f.yaml", """
                # a comment
                apiVersion: v1
                kind: Service
                metadata:
                  name: a
                ---
                {"kind": "Pod",
                 "metadata": {"labels": {"x": "y"}}}
                """);
        assertThat(docs).hasSize(2);
        assertThat(docs.get(0).source().line()).isEqualTo(2);
        assertThat(docs.get(0).source().fieldLines()).containsEntry("metadata.name", 5).containsEntry("kind", 3);
        assertThat(docs.get(1).source().fieldLines()).containsEntry("metadata.labels.x", 8);
        assertThat(docs.get(1).object().at("/metadata/labels/x").asText()).isEqualTo("y");
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
