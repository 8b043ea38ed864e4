package dev.windlass.e2e;

import dev.windlass.e2e.cluster.ClusterProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Tier 1: where bin/load-images sends image tars, decided from kubectl's current context alone: a kind context goes
 * to {@code kind load} (a stand-in kind on PATH records the call, since this machine has no Docker engine), any other
 * cluster is refused naming the images; {@code cluster is-current} recognises the local cluster by its CA. Loading
 * into the local cluster itself is tier 3 ({@code InstallImagesE2ETest}).
 */
class LoadImagesScriptTest {
    private static final Path ROOT = ClusterProvider.repositoryRoot();

    @TempDir
    Path dir;

    @BeforeAll
    static void kubectlOnPath() {
        assumeThat(onPath("kubectl")).as("kubectl on PATH, which bin/load-images needs").isTrue();
    }

    @Test
    void aKindContextLoadsEachTarWithKind() throws Exception {
        Path tar = imageTar("windlass/operator:0.2.0");
        Path calls = dir.resolve("kind-calls");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        executable(bin.resolve("kind"), "#!/bin/sh\necho \"$@\" >> " + calls + "\n");

        Run run = loadImages(kubeconfig("kind-demo", "Zm9v"), bin, tar);

        assertThat(run.code()).as(run.output()).isZero();
        assertThat(Files.readAllLines(calls)).containsExactly("load image-archive " + tar + " --name demo");
    }

    @Test
    void anyOtherClusterIsRefusedNamingTheImages() throws Exception {
        Run run = loadImages(kubeconfig("prod", "Zm9v"), null, imageTar("windlass/operator:0.2.0"), imageTar("windlass/proxy:0.2.0"));

        assertThat(run.code()).isEqualTo(3);
        assertThat(run.output()).startsWith("load-images: these images are not reachable from the cluster of context 'prod': "
                + "windlass/operator:0.2.0, windlass/proxy:0.2.0. ").contains("bin/demo --hub REGISTRY");
    }

    @Test
    void theLocalClusterIsRecognisedByItsCaWhoeverStartedIt() throws Exception {
        Path runDir = Files.createDirectories(dir.resolve("run/pki"));
        Files.writeString(runDir.resolve("ca.crt"), "the local cluster's CA\n");
        String ca = Base64.getEncoder().encodeToString("the local cluster's CA\n".getBytes());

        assertThat(isCurrent(kubeconfig("windlass-local", ca))).isZero();
        assertThat(isCurrent(kubeconfig("other", Base64.getEncoder().encodeToString("another CA\n".getBytes())))).isEqualTo(1);
    }

    private int isCurrent(Path kubeconfig) throws Exception {
        return run(List.of(ROOT.resolve("test-e2e/cluster/cluster").toString(), "is-current"),
                Map.of("KUBECONFIG", kubeconfig.toString(), "WINDLASS_CLUSTER_DIR", dir.resolve("run").toString())).code();
    }

    private Run loadImages(Path kubeconfig, Path extraPath, Path... tars) throws Exception {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/load-images").toString()));
        for (Path tar : tars) {
            command.add(tar.toString());
        }
        String path = (extraPath == null ? "" : extraPath + ":") + System.getenv("PATH");
        // An empty run dir: whatever local cluster runs on this machine is not the current context here.
        return run(command, Map.of("KUBECONFIG", kubeconfig.toString(), "PATH", path,
                "WINDLASS_CLUSTER_DIR", Files.createDirectories(dir.resolve("no-cluster")).toString()));
    }

    /** A kubeconfig whose current context is {@code context}, for a server nothing listens on. */
    private Path kubeconfig(String context, String caData) throws IOException {
        return Files.writeString(dir.resolve(context + ".kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster: {server: "https://127.0.0.1:1", certificate-authority-data: %s}
                users:
                - name: u
                  user: {token: t}
                contexts:
                - name: %s
                  context: {cluster: c, user: u}
                current-context: %s
                """.formatted(caData, context, context));
    }

    /** A docker-archive as Jib's buildTar writes it, reduced to the manifest that names the image. */
    private Path imageTar(String name) throws Exception {
        Path content = Files.createDirectories(dir.resolve(name.replaceAll("[/:]", "_")));
        Files.writeString(content.resolve("manifest.json"), "[{\"Config\":\"config.json\",\"RepoTags\":[\"" + name + "\"],\"Layers\":[]}]");
        Path tar = dir.resolve(content.getFileName() + ".tar");
        assertThat(run(List.of("tar", "-cf", tar.toString(), "-C", content.toString(), "manifest.json"), Map.of()).code()).isZero();
        return tar;
    }

    private static void executable(Path file, String script) throws IOException {
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static boolean onPath(String tool) {
        return List.of(System.getenv("PATH").split(":")).stream().anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    private record Run(int code, String output) {
    }

    private static Run run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("KUBECONFIG");
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        return new Run(process.waitFor(), output);
    }
}
