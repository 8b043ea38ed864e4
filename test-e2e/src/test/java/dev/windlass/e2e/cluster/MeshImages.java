package dev.windlass.e2e.cluster;

import dev.windlass.operator.install.ManagedObjects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the mesh tests share: this build's operator and mesh images on the cluster, and a mesh's leftovers. */
public final class MeshImages {
    private MeshImages() {
    }

    /** Loads the operator, discovery and proxy image tars this build made into the cluster's nodes. */
    public static void load(TestCluster cluster) {
        Path root = ClusterProvider.repositoryRoot();
        List<Path> images = List.of(root.resolve("operator/target/images/operator.tar"),
                root.resolve("mesh-components/discovery/target/images/discovery.tar"),
                root.resolve("mesh-components/proxy/target/images/proxy.tar"));
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
