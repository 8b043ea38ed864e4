package dev.windlass.e2e.cluster;

import com.dajudge.kindcontainer.KindContainer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.testcontainers.containers.Container;
import org.testcontainers.utility.MountableFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Kind in a Docker container (kindcontainer), for machines with a Docker engine. */
final class KindCluster implements TestCluster {
    private final KindContainer<?> kind;
    private final KubernetesClient client;

    private KindCluster(KindContainer<?> kind) {
        this.kind = kind;
        this.client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kind.getKubeconfig())).build();
    }

    static KindCluster start() {
        KindContainer<?> kind = new KindContainer<>();
        kind.start();
        Runtime.getRuntime().addShutdownHook(new Thread(kind::stop));
        return new KindCluster(kind);
    }

    @Override
    public Path kubeconfig() {
        try {
            Path file = Files.createTempFile("kind-", ".kubeconfig");
            file.toFile().deleteOnExit();
            return Files.writeString(file, kind.getKubeconfig());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    /** Copies each tar into the node and imports it where the kubelet's containerd looks (namespace k8s.io). */
    @Override
    public void loadImages(List<Path> imageTars) {
        for (Path tar : imageTars) {
            String inNode = "/tmp/" + tar.getFileName();
            kind.copyFileToContainer(MountableFile.forHostPath(tar), inNode);
            ctr("importing " + tar, "images", "import", inNode);
        }
    }

    @Override
    public void tagImage(String source, String target) {
        ctr("tagging " + source + " as " + target, "images", "tag", "--force", source, target);
    }

    @Override
    public void removeImages(String... images) {
        List<String> args = new ArrayList<>(List.of("images", "rm"));
        args.addAll(List.of(images));
        ctr("removing " + String.join(", ", images), args.toArray(String[]::new));
    }

    /** Runs ctr in the node, in the kubelet's containerd namespace. */
    private void ctr(String what, String... args) {
        List<String> command = new ArrayList<>(List.of("ctr", "-n", "k8s.io"));
        command.addAll(List.of(args));
        try {
            Container.ExecResult result = kind.execInContainer(command.toArray(String[]::new));
            if (result.getExitCode() != 0) {
                throw new IllegalStateException(what + " in kind failed: " + result.getStderr());
            }
        } catch (IOException e) {
            throw new IllegalStateException(what + " in kind failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + what, e);
        }
    }

    @Override
    public String describe() {
        return "Kind (kindcontainer) in Docker";
    }
}
