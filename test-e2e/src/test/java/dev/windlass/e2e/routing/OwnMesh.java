package dev.windlass.e2e.routing;

import dev.windlass.e2e.MeshInstall;
import dev.windlass.e2e.cluster.ClusterProvider;
import dev.windlass.e2e.cluster.MeshImages;
import dev.windlass.e2e.cluster.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test class's own demo mesh and its namespaces labelled for injection. {@link #connect} comes first, so that
 * {@link #remove} in the class's {@code @AfterAll} also cleans up after an install that failed half-way.
 */
final class OwnMesh {
    private final String name;
    private final List<String> namespaces;
    private final TestCluster cluster;
    private final MeshApps apps;

    private OwnMesh(String name, List<String> namespaces, TestCluster cluster) {
        this.name = name;
        this.namespaces = namespaces;
        this.cluster = cluster;
        this.apps = new MeshApps(cluster.client());
    }

    /** The test cluster, with this build's mesh images and the samples image loaded into its nodes. */
    static OwnMesh connect(String name, String... namespaces) {
        TestCluster cluster = ClusterProvider.get();
        MeshImages.load(cluster, MeshImages.BOOKINFO);
        return new OwnMesh(name, List.of(namespaces), cluster);
    }

    /** Installs the demo profile without its add-ons and creates the namespaces, labelled for injection. */
    MeshApps install() throws IOException, InterruptedException {
        MeshApps.installDemoMesh(cluster, name);
        namespaces.forEach(apps::injectedNamespace);
        return apps;
    }

    TestCluster cluster() {
        return cluster;
    }

    KubernetesClient client() {
        return cluster.client();
    }

    MeshApps apps() {
        return apps;
    }

    /** Deletes the namespaces, waits until they are gone, then purges the mesh. */
    void remove() throws IOException, InterruptedException {
        for (String namespace : namespaces) {
            client().namespaces().withName(namespace).delete();
        }
        for (String namespace : namespaces) {
            client().namespaces().withName(namespace).waitUntilCondition(n -> n == null, 3, TimeUnit.MINUTES);
        }
        MeshInstall.purge(cluster, name, "180s");
    }
}
