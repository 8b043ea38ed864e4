package dev.windlass.e2e;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.e2e.cluster.ClusterProvider;
import dev.windlass.e2e.cluster.MeshImages;
import dev.windlass.e2e.cluster.TestCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tier 3: the operator image, installed by {@code windlass install}, brings up a real mesh (discovery server and
 * gateways from this repository's images) on the local cluster, switches its profile and uninstalls it.
 *
 * <p>The demo profile runs here without its add-ons: their upstream images (Prometheus, Grafana, Jaeger, Kiali)
 * cannot be pulled on machines without registry access; tier 2 covers their rendering, apply and pruning.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeshLifecycleE2ETest {
    private static final Logger LOG = LoggerFactory.getLogger(MeshLifecycleE2ETest.class);
    private static final String NAME = "e2e-mesh";
    private static final String NAMESPACE = "windlass-e2e";
    private static TestCluster cluster;
    private static KubernetesClient client;
    private static int objectsBefore;

    @BeforeAll
    static void loadImages() {
        cluster = ClusterProvider.get();
        MeshImages.load(cluster);
        client = cluster.client();
        objectsBefore = labelled().size();
    }

    @AfterAll
    static void removeOperator() throws Exception {
        if (client != null) {
            windlass("uninstall", "--name", NAME, "--purge", "--timeout", "120s");
        }
    }

    @Test
    @Order(1)
    void demoReachesReadyWithAllPodsRunning() throws Exception {
        long start = System.nanoTime();
        int code = windlass("install", "-f", mcp("demo").toString(), "--platform", "local", "--timeout", "240s");
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        LOG.info("windlass install --profile demo (no add-ons): Ready=True after {} s, operator install included", seconds);
        assertThat(code).as("windlass install exit code").isZero();
        List<Pod> pods = client.pods().inNamespace(NAMESPACE).list().getItems();
        assertThat(pods).extracting(p -> p.getMetadata().getLabels().get("app"))
                .contains("windlass-discovery", "windlass-ingressgateway", "windlass-egressgateway");
        assertThat(pods).allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"));
    }

    @Test
    @Order(2)
    void switchingToDefaultPrunesTheEgressGateway() throws Exception {
        assertThat(windlass("install", "-f", mcp("default").toString(), "--timeout", "180s")).isZero();
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            assertThat(client.apps().deployments().inNamespace(NAMESPACE).withName("windlass-egressgateway").get()).isNull();
            assertThat(client.pods().inNamespace(NAMESPACE).withLabel("app", "windlass-egressgateway").list().getItems()).isEmpty();
        });
        assertThat(client.apps().deployments().inNamespace(NAMESPACE).withName("windlass-ingressgateway").get()).isNotNull();
    }

    @Test
    @Order(3)
    void deletingTheMeshLeavesNothingWithItsLabels() throws Exception {
        assertThat(labelled()).isNotEmpty();
        assertThat(windlass("uninstall", "--name", NAME, "--timeout", "120s")).isZero();
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(labelled()).hasSize(objectsBefore).isEmpty());
    }

    /** Every object of every kind the operator manages, plus pods, carrying this mesh's instance label, anywhere. */
    private static List<HasMetadata> labelled() {
        return MeshImages.labelled(client, NAME);
    }

    private static Path mcp(String profile) throws IOException {
        Path file = Files.createTempFile("mcp-", ".yaml");
        Files.writeString(file, """
                apiVersion: %s
                kind: MeshControlPlane
                metadata:
                  name: %s
                spec:
                  version: "0.2.0"
                  profile: %s
                  namespace: %s
                  addons:
                    prometheus: {enabled: false}
                    grafana: {enabled: false}
                    tracing: {enabled: false}
                    kiali: {enabled: false}
                """.formatted(MeshControlPlane.GROUP + "/" + MeshControlPlane.VERSION, NAME, profile, NAMESPACE));
        return file;
    }

    /** Runs the windlass CLI as a user would, against the test cluster. */
    private static int windlass(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ClusterProvider.repositoryRoot().resolve("bin/windlass").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--kubeconfig", cluster.kubeconfig().toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.inputReader().lines().forEach(line -> LOG.info("windlass: {}", line));
        return process.waitFor();
    }
}
