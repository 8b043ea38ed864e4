package dev.windlass.cli;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The images the cluster's nodes hold, as their kubelets report them (Node {@code status.images}). A kubelet
 * refreshes that list every 30 s and sends it with its next status update (every 10 s), so an image loaded a moment
 * ago can be missing from it for about 40 s.
 */
final class NodeImages {
    /** The kubelet's default nodeStatusMaxImages: a list this long may have been cut short, so it proves nothing. */
    static final int KUBELET_LIST_LIMIT = 50;
    static final Duration REFRESH = Duration.ofSeconds(45);

    private final KubernetesClient client;

    NodeImages(KubernetesClient client) {
        this.client = client;
    }

    /**
     * The images that a node pods can run on does not list. Nodes whose list may be cut short are left out; with
     * none left, nothing is known to be missing.
     */
    static List<String> missing(List<Node> nodes, List<String> images) {
        List<Set<ImageRef>> lists = nodes.stream().filter(NodeImages::schedulable).map(NodeImages::listed)
                .filter(Objects::nonNull).toList();
        return images.stream().filter(image -> lists.stream().anyMatch(list -> !list.contains(ImageRef.parse(image)))).toList();
    }

    /**
     * Waits up to {@link #REFRESH} for the nodes to list the images.
     *
     * @return the images still missing; none when the nodes cannot be read (the pods will tell then)
     */
    List<String> awaitListed(List<String> images, PrintWriter out) throws InterruptedException {
        Instant deadline = Instant.now().plus(REFRESH);
        List<String> missing = missingNow(images);
        if (!missing.isEmpty()) {
            out.println("waiting up to " + REFRESH.toSeconds() + "s for the nodes to list " + String.join(", ", missing)
                    + " (a kubelet refreshes its list of images every 30s)");
            out.flush();
        }
        while (!missing.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(2000);
            missing = missingNow(images);
        }
        return missing;
    }

    private List<String> missingNow(List<String> images) {
        try {
            return missing(client.nodes().list().getItems(), images);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                return List.of();
            }
            throw e;
        }
    }

    /** The node's images, or null when its list may be incomplete. */
    private static Set<ImageRef> listed(Node node) {
        List<ContainerImage> images = node.getStatus() == null ? null : node.getStatus().getImages();
        if (images == null || images.size() >= KUBELET_LIST_LIMIT) {
            return null;
        }
        return images.stream().flatMap(i -> Objects.requireNonNullElse(i.getNames(), List.<String>of()).stream())
                .map(ImageRef::parse).collect(Collectors.toSet());
    }

    /** Pods without tolerations can land there: not cordoned, no NoSchedule or NoExecute taint. */
    private static boolean schedulable(Node node) {
        if (node.getSpec() == null) {
            return true;
        }
        List<Taint> taints = Objects.requireNonNullElse(node.getSpec().getTaints(), List.of());
        return !Boolean.TRUE.equals(node.getSpec().getUnschedulable())
                && taints.stream().noneMatch(t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()));
    }
}
