package dev.windlass.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI as a user runs it: arguments in; stdout, stderr and the exit code out. */
class WindlassCliTest {

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = WindlassCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void profileListPrintsTheFiveProfiles() {
        Result result = run("profile", "list");
        assertThat(result.code()).isZero();
        assertThat(result.out().lines().map(l -> l.split("\\s+")[0]))
                .containsExactly("default", "demo", "minimal", "empty", "preview");
    }

    @Test
    void demoManifestHasDiscoveryBothGatewaysAndAddons() {
        Result result = run("manifest", "generate", "--profile", "demo");
        assertThat(result.code()).isZero();
        assertThat(deployments(result.out()))
                .contains("windlass-discovery", "windlass-ingressgateway", "windlass-egressgateway",
                        "prometheus", "grafana", "jaeger", "kiali");
    }

    /** kubectl apply of the output alone works: every ClusterRole a binding refers to is in it. */
    @Test
    void theManifestHoldsEveryClusterRoleItsBindingsReferTo() {
        String out = run("manifest", "generate", "--profile", "demo").out();
        List<String> documents = Arrays.asList(out.split("(?m)^---\n"));
        List<String> referred = documents.stream().filter(doc -> doc.contains("\nroleRef:\n  kind: ClusterRole\n"))
                .map(doc -> doc.replaceAll("(?s).*\nroleRef:\n  kind: ClusterRole\n  apiGroup: [^\n]+\n  name: ([^\n]+)\n.*", "$1"))
                .distinct().toList();
        List<String> clusterRoles = documents.stream().filter(doc -> doc.contains("\nkind: ClusterRole\n"))
                .map(doc -> doc.replaceAll("(?s).*?\n  name: ([^\n]+)\n.*", "$1")).toList();
        assertThat(referred).contains("windlass-gateway-credentials", "windlass-discovery-ca");
        assertThat(clusterRoles).containsAll(referred);
    }

    @Test
    void minimalManifestHasNoGateway() {
        Result result = run("manifest", "generate", "--profile", "minimal");
        assertThat(result.code()).isZero();
        assertThat(deployments(result.out())).containsExactly("windlass-discovery");
        assertThat(result.out()).doesNotContain("istio: ingressgateway").doesNotContain("istio: egressgateway");
    }

    @Test
    void profileDiffShowsTheEgressGatewayAndAccessLog() {
        Result result = run("profile", "diff", "default", "demo");
        assertThat(result.code()).isZero();
        assertThat(result.out()).contains(
                "- components.egressGateways[0].enabled: false", "+ components.egressGateways[0].enabled: true",
                "- meshConfig.accessLogFile: ''", "+ meshConfig.accessLogFile: '/dev/stdout'");
    }

    @Test
    void badSetFlagsExitTwoNamingThePath() {
        Result negative = run("manifest", "generate", "--set", "components.discovery.k8s.replicas=-1");
        assertThat(negative.code()).isEqualTo(2);
        assertThat(negative.err()).isEqualTo("windlass: --set components.discovery.k8s.replicas=-1: "
                + "components.discovery.k8s.replicas: must be at least 0, got -1\n");
        Result unknown = run("manifest", "generate", "--set", "nosuch.key=1");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("windlass: --set nosuch.key=1: nosuch: unknown key\n");
        assertThat(negative.out() + unknown.out()).isEmpty();
    }

    @Test
    void aFileIsReadAsAMeshControlPlaneAndItsErrorsNameTheFile(@TempDir Path dir) throws IOException {
        Path good = Files.writeString(dir.resolve("mcp.yaml"), """
                apiVersion: mesh.windlass.dev/v1alpha1
                kind: MeshControlPlane
                metadata: {name: prod}
                spec:
                  version: 0.1.0
                  profile: minimal
                  components: {discovery: {k8s: {replicas: 3}}}
                """);
        Result result = run("manifest", "generate", "-f", good.toString());
        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("app.kubernetes.io/instance: prod", "image: windlass/discovery:0.1.0", "replicas: 3");

        Path typo = Files.writeString(dir.resolve("typo.yaml"), """
                apiVersion: mesh.windlass.dev/v1alpha1
                kind: MeshControlPlane
                spec:
                  components: {ingressGateways: [{name: gw, k8s: {replica: 2}}]}
                """);
        Result bad = run("manifest", "generate", "-f", typo.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("windlass: " + typo + ": components.ingressGateways[0].k8s.replica: unknown key\n");

        Path broken = Files.writeString(dir.resolve("broken.yaml"), "kind: MeshControlPlane\nspec: [unclosed\n");
        Result syntax = run("manifest", "generate", "-f", broken.toString());
        assertThat(syntax.code()).isEqualTo(2);
        assertThat(syntax.err()).isEqualTo("windlass: " + broken + ":2:16: not valid YAML: expected ',' or ']', but got <stream end>\n");

        Result missing = run("profile", "dump", "-f", dir.resolve("nope.yaml").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("windlass: " + dir.resolve("nope.yaml") + ": no such file\n");
    }

    @Test
    void unknownCommandsAndFlagsAreUsageErrors() {
        assertThat(run("frobnicate").code()).isEqualTo(2);
        assertThat(run("manifest", "generate", "--no-such-flag").code()).isEqualTo(2);
        assertThat(run("manifest", "generate", "--revision", "Not_A_Label").err())
                .isEqualTo("windlass: --revision: 'Not_A_Label' is not a DNS label of at most 40 characters\n");
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] command : new String[][]{{"--help"}, {"profile", "--help"}, {"profile", "list", "--help"},
                {"profile", "dump", "--help"}, {"profile", "diff", "--help"}, {"manifest", "generate", "--help"}, {"version", "--help"}}) {
            Result result = run(command);
            assertThat(result.code()).as(String.join(" ", command)).isZero();
            assertThat(result.out()).startsWith("Usage: windlass");
        }
    }

    @Test
    void versionListsTheInstallableMeshVersions() {
        assertThat(run("version").out()).contains("installable mesh versions: 0.2.0, 0.1.0");
    }

    private static List<String> deployments(String yaml) {
        return Arrays.stream(yaml.split("(?m)^---\n"))
                .filter(doc -> doc.contains("\nkind: Deployment\n"))
                .map(doc -> doc.replaceAll("(?s).*?\n  name: ([^\n]+)\n  namespace:.*", "$1"))
                .toList();
    }

    @Test
    void installRefusesBadValuesOfflineBeforeTouchingTheCluster() {
        Result result = run("install", "--set", "components.discovery.k8s.replica=2", "--kubeconfig", "/nonexistent");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("components.discovery.k8s.replica").contains("unknown key");
    }

    @Test
    void installRefusesAHubThatIsNotARegistryAndRepository() {
        Result result = run("install", "--hub", "https://registry.example.com/windlass/", "--kubeconfig", "/nonexistent");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("windlass: --hub: 'https://registry.example.com/windlass/' is not a registry and "
                + "repository such as registry.example.com/windlass\n");
    }

    @Test
    void installAndUninstallNameAMissingKubeconfig() {
        assertThat(run("install", "--profile", "minimal", "--kubeconfig", "/nonexistent").err()).contains("--kubeconfig: /nonexistent");
        Result result = run("uninstall", "--timeout", "soon");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("--timeout: 'soon'");
    }
}
