package dev.windlass.cli;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Tier 1: which of install's images the nodes lack, from Node statuses as kubelets report them. */
class NodeImagesTest {
    private static final List<String> WANTED = List.of("windlass/operator:0.2.0", "windlass/discovery:0.2.0", "windlass/proxy:0.2.0");

    @Test
    void shortNamesMatchTheFullNamesKubeletsReport() {
        Node node = node("worker", false, "docker.io/windlass/operator:0.2.0", "docker.io/windlass/discovery:0.2.0",
                "docker.io/windlass/proxy:0.1.0", "registry.k8s.io/pause:3.10");
        assertThat(NodeImages.missing(List.of(node), WANTED)).containsExactly("windlass/proxy:0.2.0");
    }

    @Test
    void everyNodePodsCanRunOnMustHoldTheImageButTaintedOnesDoNotCount() {
        Node full = node("a", false, "docker.io/windlass/operator:0.2.0", "docker.io/windlass/discovery:0.2.0", "docker.io/windlass/proxy:0.2.0");
        Node empty = node("b", false, "registry.k8s.io/pause:3.10");
        Node controlPlane = node("cp", true, "registry.k8s.io/pause:3.10");
        assertThat(NodeImages.missing(List.of(full, controlPlane), WANTED)).isEmpty();
        assertThat(NodeImages.missing(List.of(full, empty), WANTED)).isEqualTo(WANTED);
    }

    @Test
    void aListAtTheKubeletsLimitProvesNothing() {
        List<String> many = new ArrayList<>(IntStream.range(0, NodeImages.KUBELET_LIST_LIMIT).mapToObj(i -> "example.com/app" + i + ":1").toList());
        assertThat(NodeImages.missing(List.of(node("busy", false, many.toArray(String[]::new))), WANTED)).isEmpty();
        many.removeLast();
        assertThat(NodeImages.missing(List.of(node("busy", false, many.toArray(String[]::new))), WANTED)).isEqualTo(WANTED);
    }

    private static Node node(String name, boolean controlPlane, String... images) {
        NodeBuilder node = new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().endSpec();
        if (controlPlane) {
            node.editSpec().addNewTaint().withKey("node-role.kubernetes.io/control-plane").withEffect("NoSchedule").endTaint().endSpec();
        }
        List<ContainerImage> listed = new ArrayList<>();
        for (String image : images) {
            listed.add(new ContainerImage(List.of(image.replaceAll(":[^:/]+$", "") + "@sha256:0123", image), 1000L));
        }
        return node.withNewStatus().withImages(listed).endStatus().build();
    }
}
