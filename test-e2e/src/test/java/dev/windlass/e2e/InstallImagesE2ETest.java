package dev.windlass.e2e;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.e2e.cluster.ClusterProvider;
import dev.windlass.e2e.cluster.MeshImages;
import dev.windlass.e2e.cluster.TestCluster;
import dev.windlass.profiles.render.OperatorResources;
import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tier 3: windlass install where the operator's image is not where the cluster can get it. (a) A hub no pull can
 * reach (127.0.0.1:1, so nothing leaves the machine): install fails within a minute naming the image and the pull
 * error. (b) A cluster whose node never got the operator image (removed from its containerd): install names it
 * before applying anything; bin/load-images, which bin/demo runs, loads it; then install succeeds, showing the
 * operator's pod and then the mesh's conditions. (c) An operator that crashes: its exit code, restarts and last log
 * line. (d) An operator pod no node takes: the scheduler's reason; then the same install reaches Ready.
 *
 * <p>The operator is cluster-wide and every mesh test installs and purges it, so this test starts without one and
 * purges it again; the images it removes from the node are loaded back whatever happens.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstallImagesE2ETest {
    private static final Logger LOG = LoggerFactory.getLogger(InstallImagesE2ETest.class);
    /** The default mesh name; only its namespace is this test's own. */
    private static final String NAME = "windlass";
    private static final String[] MESH = {"--profile", "minimal", "--set", "namespace=windlass-e2e-images"};
    private static final String OPERATOR_IMAGE = "docker.io/windlass/operator:" + OperatorResources.version();
    private static TestCluster cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void noOperatorYet() {
        cluster = ClusterProvider.get();
        MeshImages.load(cluster);
        client = cluster.client();
        assertThat(operator()).as("another test left the operator installed; this one needs a cluster without it").isFalse();
    }

    /** Each test starts without the operator, also when the one before failed half way. */
    @AfterEach
    void purge() throws Exception {
        WindlassCli.run(cluster, "uninstall", "--name", NAME, "--purge", "--timeout", "120s");
    }

    @AfterAll
    static void purgeAndReloadImages() throws Exception {
        if (client != null) {
            WindlassCli.run(cluster, "uninstall", "--name", NAME, "--purge", "--timeout", "120s");
            MeshImages.load(cluster);
        }
    }

    @Test
    @Order(1)
    void anOperatorImageThatCannotBePulledFailsWithinAMinuteNamingTheImageAndThePullError() throws Exception {
        Instant start = Instant.now();
        WindlassCli.Result install = install("--hub", "127.0.0.1:1", "--timeout", "300s");
        Duration took = Duration.between(start, Instant.now());
        LOG.info("windlass install --hub 127.0.0.1:1 failed after {} ms", took.toMillis());

        assertThat(install.code()).isNotZero();
        assertThat(took).isLessThan(Duration.ofSeconds(60));
        assertThat(install.errors()).contains("the operator cannot start", "cannot get image 127.0.0.1:1/operator:0.2.0",
                "127.0.0.1:1", "connection refused");
        assertThat(WindlassCli.run(cluster, "uninstall", "--name", NAME, "--purge", "--timeout", "60s").code()).isZero();
        assertThat(operator()).isFalse();
    }

    @Test
    @Order(2)
    void imagesTheNodesLackAreNamedBeforeAnythingIsAppliedAndLoadImagesLoadsThem() throws Exception {
        try {
            cluster.removeImages(OPERATOR_IMAGE);
        } catch (UnsupportedOperationException e) {
            Assumptions.abort(e.getMessage());
        }
        // The kubelet lists its images every 30 s and reports them with its next status update.
        await().atMost(Duration.ofSeconds(90)).until(() -> !nodesList(OPERATOR_IMAGE));
        await().atMost(Duration.ofSeconds(60)).until(() -> client.namespaces().withName(OperatorResources.NAMESPACE).get() == null);
        boolean crd = client.apiextensions().v1().customResourceDefinitions().withName(MeshControlPlane.CRD_NAME).get() != null;

        WindlassCli.Result refused = install("--timeout", "240s");

        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.errors()).startsWith("windlass: these images are not reachable from the cluster: windlass/operator:0.2.0; "
                + "nothing was applied.");
        assertThat(client.namespaces().withName(OperatorResources.NAMESPACE).get()).isNull();
        assertThat(client.apiextensions().v1().customResourceDefinitions().withName(MeshControlPlane.CRD_NAME).get() != null).isEqualTo(crd);

        int loaded = loadImages(ClusterProvider.repositoryRoot().resolve("operator/target/images/operator.tar"));
        if (loaded == 3) {
            MeshImages.load(cluster);
            Assumptions.abort("bin/load-images cannot load into " + cluster.describe());
        }
        assertThat(loaded).as("bin/load-images exit code").isZero();
        WindlassCli.Result installed = install("--timeout", "240s");
        assertThat(installed.code()).isZero();
        assertThat(installed.output()).contains("] waiting for the operator to run:\n  pod windlass-operator-",
                "✔ meshcontrolplane/" + NAME + " is Ready");
        // The mesh's conditions come on a line of their own, or after the operator's pods when it is still starting.
        assertThat(installed.output()).containsPattern("(] waiting|\nand) for meshcontrolplane/" + NAME + " to be Ready:\n  Ready=False ");
        assertThat(WindlassCli.run(cluster, "uninstall", "--name", NAME, "--purge", "--timeout", "120s").code()).isZero();
        WindlassCli.Result again = WindlassCli.run(cluster, "uninstall", "--name", NAME, "--purge", "--timeout", "60s");
        assertThat(again.code()).as("a second purge, with the CRDs gone").isZero();
        assertThat(again.output()).contains("meshcontrolplane/" + NAME + " does not exist");
    }

    /** The proxy image started without a role prints its usage and exits 2: an operator that crashes at once. */
    @Test
    @Order(3)
    void aCrashingOperatorShowsItsExitCodeRestartsAndLastLogLine() throws Exception {
        WindlassCli.Result install = install("--operator-image", "windlass/proxy:" + OperatorResources.version(), "--timeout", "45s");

        assertThat(install.code()).isEqualTo(1);
        assertThat(install.output()).containsPattern("container operator is in CrashLoopBackOff \\(exit code 2, [1-9]\\d* restarts\\); "
                + "last log line: usage: windlass-proxy init\\|sidecar\\|router\\|wait");
        assertThat(install.errors()).startsWith("windlass: meshcontrolplane/" + NAME + " is not Ready after 45s; still waiting for "
                + "the operator to run:\n  pod windlass-operator-");
        assertThat(WindlassCli.run(cluster, "uninstall", "--name", NAME, "--purge", "--timeout", "60s").code()).isZero();
    }

    /** With every node cordoned the operator pod stays Pending; once they are not, the same install goes on to Ready. */
    @Test
    @Order(4)
    void anUnscheduledOperatorPodShowsTheSchedulersReason() throws Exception {
        List<String> nodes = client.nodes().list().getItems().stream().map(n -> n.getMetadata().getName()).toList();
        WindlassCli.Result pending;
        try {
            nodes.forEach(node -> cordon(node, true));
            pending = install("--timeout", "20s");
        } finally {
            nodes.forEach(node -> cordon(node, false));
        }

        assertThat(pending.code()).isEqualTo(1);
        assertThat(pending.errors()).containsPattern("still waiting for the operator to run:\n  pod windlass-operator-[a-z0-9-]+: "
                + "Pending, not scheduled: 0/\\d+ nodes are available: \\d+ node\\(s\\) were unschedulable");
        WindlassCli.Result installed = install("--timeout", "240s");
        assertThat(installed.code()).isZero();
        assertThat(installed.output()).contains("✔ the operator is already installed (windlass/operator:", "✔ meshcontrolplane/" + NAME + " is Ready");
        assertThat(WindlassCli.run(cluster, "uninstall", "--name", NAME, "--purge", "--timeout", "120s").code()).isZero();
    }

    private static void cordon(String node, boolean unschedulable) {
        client.nodes().withName(node).edit(n -> {
            n.getSpec().setUnschedulable(unschedulable ? true : null);
            return n;
        });
    }

    private static WindlassCli.Result install(String... flags) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("install"));
        args.addAll(List.of(MESH));
        args.addAll(List.of(flags));
        return WindlassCli.run(cluster, args.toArray(String[]::new));
    }

    private static boolean operator() {
        return client.apps().deployments().inNamespace(OperatorResources.NAMESPACE).withName(OperatorResources.NAME).get() != null;
    }

    private static boolean nodesList(String image) {
        return client.nodes().list().getItems().stream().map(Node::getStatus).filter(Objects::nonNull)
                .flatMap(s -> Objects.requireNonNullElse(s.getImages(), List.<ContainerImage>of()).stream())
                .anyMatch(i -> i.getNames() != null && i.getNames().contains(image));
    }

    /** Runs bin/load-images as bin/demo does, with the test cluster as the current context. */
    private static int loadImages(Path tar) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(ClusterProvider.repositoryRoot().resolve("bin/load-images").toString(), tar.toString())
                .redirectErrorStream(true);
        builder.environment().put("KUBECONFIG", cluster.kubeconfig().toString());
        Process process = builder.start();
        // Read, not inherited: output written straight to the fork's stdout corrupts surefire's channel.
        process.inputReader().lines().forEach(line -> LOG.info("load-images: {}", line));
        return process.waitFor();
    }
}
