package dev.windlass.e2e.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

import java.nio.file.Path;

/**
 * Chooses the cluster for end-to-end tests, once per test JVM:
 * <ol>
 *   <li>{@code KUBECONFIG} is set: that cluster (its images must already be there or be pullable);</li>
 *   <li>a Docker engine answers: Kind through Testcontainers (kindcontainer), with our images loaded into the node;</li>
 *   <li>otherwise: the local cluster that {@code test-e2e/cluster/cluster} builds on this machine.</li>
 * </ol>
 */
public final class ClusterProvider {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterProvider.class);
    private static TestCluster cluster;

    private ClusterProvider() {
    }

    public static synchronized TestCluster get() {
        if (cluster == null) {
            cluster = choose();
            LOG.info("end-to-end tests run on {}", cluster.describe());
        }
        return cluster;
    }

    private static TestCluster choose() {
        String kubeconfig = System.getenv("KUBECONFIG");
        if (kubeconfig != null && !kubeconfig.isBlank()) {
            return new KubeconfigCluster(Path.of(kubeconfig));
        }
        if (dockerAvailable()) {
            return KindCluster.start();
        }
        return LocalCluster.up(repositoryRoot());
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** The checkout's root: test-e2e's parent, since Maven runs tests in the module directory. */
    public static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        return here.getFileName().toString().equals("test-e2e") ? here.getParent() : here;
    }
}
