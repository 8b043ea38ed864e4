package dev.windlass.cli;

import dev.windlass.cli.WindlassCliTest.Result;
import dev.windlass.testsupport.ApiServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.windlass.cli.WindlassCliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tier 2: istioctl's global {@code -n} and {@code -i} given before the command ({@code windlass -n NS x describe pod
 * P}) reach every namespaced command as if given after it, against a real apiserver; the command's own flag wins.
 */
class RootNamespaceApiServerTest {
    private static String kubeconfig;
    private static String ns;

    @BeforeAll
    static void reviewsWithItsRoutingInANamespaceOfItsOwn() throws Exception {
        kubeconfig = "--kubeconfig=" + ApiServer.kubeconfigFile();
        ns = AnalyzeApiServerTest.reviewsNamespace("root-ns-");
    }

    @Test
    void describeFindsThePodInTheNamespaceGivenBeforeTheCommand() {
        Result before = run("-n", ns, "x", "describe", "pod", "reviews-v4", kubeconfig);
        assertThat(before.code()).as(before.err()).isZero();
        assertThat(before.out()).startsWith("Pod: reviews-v4\n").contains("Service: reviews", "VirtualService: reviews");
        assertThat(run("x", "describe", "pod", "reviews-v4", "-n", ns, kubeconfig).out()).isEqualTo(before.out());
        assertThat(run("-n", "default", "x", "describe", "pod", "reviews-v4", "-n", ns, kubeconfig).out()).isEqualTo(before.out());

        Result withoutIt = run("x", "describe", "pod", "reviews-v4", kubeconfig);
        assertThat(withoutIt.code()).isEqualTo(2);
        assertThat(withoutIt.err()).isEqualTo("windlass: POD: no pod reviews-v4 in namespace default\n");
    }

    @Test
    void analyzeAnalysesTheNamespaceGivenBeforeTheCommand() {
        Result before = run("-n", ns, "analyze", kubeconfig);
        assertThat(before.code()).as(before.err()).isEqualTo(79);
        assertThat(before.out()).contains("(VirtualService " + ns + "/reviews) Referenced host+subset in destinationrule not found");
        assertThat(before.err()).startsWith("Error: Analyzers found issues when analyzing namespace: " + ns + ".\n");
        assertThat(run("analyze", "-n", ns, kubeconfig).out()).isEqualTo(before.out());
    }

    @Test
    void theMeshNamespaceGivenBeforeTheCommandIsWhereProxyStatusLooksForDiscovery() {
        Result before = run("-i", ns, "proxy-status", kubeconfig);
        assertThat(before.code()).isEqualTo(2);
        assertThat(before.err()).isEqualTo("windlass: --mesh-namespace: no running discovery pod (app=windlass-discovery) in " + ns + "\n");
        assertThat(run("--istioNamespace", "other", "ps", "-i", ns, kubeconfig).err()).isEqualTo(before.err());
        assertThat(run("proxy-status", kubeconfig).err()).endsWith(" in windlass-system\n");
    }

    @Test
    void bugReportCollectsTheMeshNamespaceGivenBeforeTheCommand(@TempDir Path dir) throws Exception {
        assertThat(objectsInBugReport(dir.resolve("given.tar.gz"), "-i", ns)).contains("namespace: " + ns, "name: reviews-v4");
        assertThat(objectsInBugReport(dir.resolve("default.tar.gz"))).doesNotContain("namespace: " + ns);
    }

    /** The archive's objects.yaml, as the system's tar extracts it. */
    private static String objectsInBugReport(Path archive, String... rootFlags) throws Exception {
        List<String> args = new ArrayList<>(List.of(rootFlags));
        args.addAll(List.of("bug-report", "-o", archive.toString(), kubeconfig));
        Result result = run(args.toArray(String[]::new));
        assertThat(result.code()).as(result.err()).isZero();
        Process tar = new ProcessBuilder("tar", "-xzOf", archive.toString(), "objects.yaml").start();
        String objects = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor()).isZero();
        return objects;
    }

    @Test
    void aBadNamespaceBeforeTheCommandIsNamedWithExitCode2() {
        for (String command : new String[] {"proxy-status", "analyze", "bug-report"}) {
            Result bad = run("-n", "Bad_NS", command, "--kubeconfig=/nonexistent");
            assertThat(bad.code()).as(command).isEqualTo(2);
            assertThat(bad.err()).as(command).isEqualTo("windlass: --namespace: 'Bad_NS' is not a namespace name\n");
        }
        Result bad = run("-i", "Bad_NS", "x", "describe", "pod", "reviews-v4", "--kubeconfig=/nonexistent");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("windlass: --mesh-namespace: 'Bad_NS' is not a namespace name\n");
    }
}
