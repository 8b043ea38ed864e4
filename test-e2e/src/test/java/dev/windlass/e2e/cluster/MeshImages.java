package dev.windlass.e2e.cluster;

import dev.windlass.operator.install.ManagedObjects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the mesh tests share: this build's operator and mesh images on the cluster, and a mesh's leftovers. */
public final class MeshImages {
    private MeshImages() {
    }

    /** The previous mesh version's images (see mesh.previous.version in the root pom), for upgrade tests. */
    public static final List<String> PREVIOUS_VERSION = List.of("mesh-components/discovery/target/images/discovery-0.1.0.tar",
            "mesh-components/proxy/target/images/proxy-0.1.0.tar");
    public static final String BOOKINFO = "samples/target/images/bookinfo.tar";

    /**
     * Loads the operator, discovery and proxy image tars this build made into the cluster's nodes.
     *
     * @param more further tars, relative to the repository root
     */
    public static void load(TestCluster cluster, String... more) {
        Path root = ClusterProvider.repositoryRoot();
        List<Path> images = new ArrayList<>(List.of(root.resolve("operator/target/images/operator.tar"),
                root.resolve("mesh-components/discovery/target/images/discovery.tar"),
                root.resolve("mesh-components/proxy/target/images/proxy.tar")));
        Arrays.stream(more).map(root::resolve).forEach(images::add);
        images.forEach(image -> assertThat(image).as("build the images with -DskipImages=false").exists());
        cluster.loadImages(images);
    }

    /** Every object of every kind the operator manages, plus pods, carrying the mesh's instance label, anywhere. */
    public static List<HasMetadata> labelled(KubernetesClient client, String instance) {
        List<HasMetadata> objects = new ArrayList<>(new ManagedObjects(client).all(instance));
        objects.addAll(client.pods().inAnyNamespace().withLabel("app.kubernetes.io/instance", instance).list().getItems());
        return objects;
    }
}
