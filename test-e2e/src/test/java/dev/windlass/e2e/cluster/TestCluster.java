package dev.windlass.e2e.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A real Kubernetes cluster with nodes that run pods, as chosen by {@link ClusterProvider}. */
public interface TestCluster {
    KubernetesClient client();

    /** A kubeconfig file for processes the tests start, such as the windlass CLI. */
    Path kubeconfig();

    /** Makes locally built image tars (docker-archive format, from Jib) runnable by the cluster's nodes. */
    void loadImages(List<Path> imageTars);

    /**
     * Gives an image already on the nodes a second name, for example to make a broken image out of a good one.
     *
     * @throws UnsupportedOperationException on a cluster named only by a kubeconfig: its nodes are not this run's to change
     */
    default void tagImage(String source, String target) {
        throw new UnsupportedOperationException("cannot tag images on " + describe());
    }

    /**
     * Removes images from the nodes, for example to show what an install does where they were never loaded.
     *
     * @throws UnsupportedOperationException on a cluster named only by a kubeconfig: its nodes are not this run's to change
     */
    default void removeImages(String... images) {
        throw new UnsupportedOperationException("cannot remove images on " + describe());
    }

    /**
     * Sends a signal ({@code STOP}, {@code CONT}) to the node processes of one container of a running pod, for
     * example to freeze a sidecar's proxy.
     *
     * @return the process ids signalled
     * @throws UnsupportedOperationException on a cluster named only by a kubeconfig: its nodes are not this run's to reach
     */
    default List<Long> signalContainer(Pod pod, String container, String signal) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("cannot signal container processes on " + describe());
    }

    /** Which cluster this is, for the log. */
    String describe();
}
