package dev.windlass.e2e.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A cluster named by a kubeconfig file: the user's own, or the local cluster's. */
class KubeconfigCluster implements TestCluster {
    private final Path kubeconfig;
    private final KubernetesClient client;

    KubeconfigCluster(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
        try {
            this.client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kubeconfig " + kubeconfig, e);
        }
    }

    @Override
    public Path kubeconfig() {
        return kubeconfig;
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    @Override
    public void loadImages(List<Path> imageTars) {
        LoggerFactory.getLogger(KubeconfigCluster.class)
                .warn("KUBECONFIG cluster: not loading {} image(s); they must already be available to its nodes", imageTars.size());
    }

    @Override
    public String describe() {
        return "the cluster of KUBECONFIG=" + kubeconfig;
    }
}
