package dev.windlass.e2e.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Path;
import java.util.List;

/** A real Kubernetes cluster with nodes that run pods, as chosen by {@link ClusterProvider}. */
public interface TestCluster {
    KubernetesClient client();

    /** A kubeconfig file for processes the tests start, such as the windlass CLI. */
    Path kubeconfig();

    /** Makes locally built image tars (docker-archive format, from Jib) runnable by the cluster's nodes. */
    void loadImages(List<Path> imageTars);

    /** Which cluster this is, for the log. */
    String describe();
}
