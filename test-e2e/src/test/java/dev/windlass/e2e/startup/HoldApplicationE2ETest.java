package dev.windlass.e2e.startup;

import dev.windlass.e2e.MeshInstall;
import dev.windlass.e2e.cluster.ClusterProvider;
import dev.windlass.e2e.cluster.MeshImages;
import dev.windlass.e2e.cluster.TestCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
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

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tier 3, holdApplicationUntilProxyStarts on the real cluster: pods whose app's first act is one outbound HTTP call,
 * with no retry (the samples' load client, {@code load curl}), started in batches of {@value #BATCH} on a node kept
 * busy by a CPU burner. With the setting on (mesh-wide) every call finds its proxy ready; with it off (the pod's
 * proxy.istio.io/config annotation), some app calls out before its proxy has its configuration, and fails. One
 * minimal mesh (discovery server only) with the setting on, one namespace.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HoldApplicationE2ETest {
    private static final Logger LOG = LoggerFactory.getLogger(HoldApplicationE2ETest.class);
    private static final String MESH = "hold-mesh";
    private static final String NS = "hold-start";
    private static final int STARTS = 20;
    private static final int BATCH = 5;
    private static final String HOLD_OFF = "{\"holdApplicationUntilProxyStarts\": false}";
    private static TestCluster cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void installMeshTargetAndBurner() throws Exception {
        cluster = ClusterProvider.get();
        MeshImages.load(cluster, MeshImages.BOOKINFO);
        client = cluster.client();
        MeshInstall.install(cluster, MESH, """
                version: "0.2.0"
                profile: minimal
                meshConfig: {defaultConfig: {holdApplicationUntilProxyStarts: true}}
                """, "240s");
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).withLabels(Map.of("windlass-injection", "enabled"))
                .endMetadata().build()).serverSideApply();
        applyAndAwait(CallerPods.TARGET);
        applyAndAwait(CallerPods.BURNER);
        warmUp();
    }

    /**
     * One uncounted batch first, so that the counted ones meet the node and the discovery server as a running mesh
     * does. Without it the first batch also paid for the images' first reads and the discovery server's first pushes
     * under the burner: once in CI, its proxies took over the hook's 60 s and the cluster DNS timed out.
     */
    private static void warmUp() {
        LOG.info("warm-up batch (not counted): {}", CallerPods.summary(startBatch("warm", 0, Map.of())));
    }

    /** Applies the objects and waits until each Deployment among them has its one replica available. */
    private static void applyAndAwait(String yaml) {
        for (HasMetadata object : load(yaml)) {
            HasMetadata applied = client.resource(object).inNamespace(NS).serverSideApply();
            if (applied instanceof Deployment deployment) {
                client.resource(deployment).waitUntilCondition(d -> d.getStatus() != null
                        && Integer.valueOf(1).equals(d.getStatus().getAvailableReplicas()), 4, TimeUnit.MINUTES);
            }
        }
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (client != null) {
            client.namespaces().withName(NS).delete();
            MeshInstall.purge(cluster, MESH, "180s");
        }
    }

    @Test
    @Order(1)
    void withTheSettingOnNoAppCallsOutBeforeItsProxyIsReady() {
        List<CallerPods.Outcome> outcomes = startInBatches("on", Map.of());
        LOG.info("holdApplicationUntilProxyStarts on: {}", CallerPods.summary(outcomes));
        assertThat(outcomes).hasSize(STARTS).allSatisfy(o -> assertThat(o.succeeded()).as(o.toString()).isTrue());
    }

    @Test
    @Order(2)
    void theInjectedPodHasTheProxyFirstWithTheWaitHook() {
        Pod pod = client.resource(CallerPods.pod("shape", Map.of())).inNamespace(NS).create();
        try {
            Container first = pod.getSpec().getContainers().getFirst();
            assertThat(first.getName()).isEqualTo("windlass-proxy");
            assertThat(first.getLifecycle().getPostStart().getExec().getCommand()).containsExactly("/opt/java/bin/java", "@/app/wait");
            assertThat(pod.getMetadata().getAnnotations()).containsEntry("kubectl.kubernetes.io/default-container", "app");
        } finally {
            client.resource(pod).withGracePeriod(0).delete();
        }
    }

    /** Shows the setting matters: the same pods, the same node, the same call, without it. */
    @Test
    @Order(3)
    void withTheSettingOffSomeAppCallsOutBeforeItsProxyIsReady() {
        List<CallerPods.Outcome> outcomes = startInBatches("off", Map.of("proxy.istio.io/config", HOLD_OFF));
        LOG.info("holdApplicationUntilProxyStarts off: {}", CallerPods.summary(outcomes));
        assertThat(outcomes).hasSize(STARTS);
        assertThat(outcomes).as("failed calls without the setting").anyMatch(o -> !o.succeeded());
    }

    private static List<CallerPods.Outcome> startInBatches(String name, Map<String, String> annotations) {
        List<CallerPods.Outcome> outcomes = new ArrayList<>();
        for (int first = 0; first < STARTS; first += BATCH) {
            outcomes.addAll(startBatch(name, first, annotations));
        }
        return outcomes;
    }

    private static List<CallerPods.Outcome> startBatch(String name, int first, Map<String, String> annotations) {
        List<Pod> batch = new ArrayList<>();
        for (int i = first; i < first + BATCH; i++) {
            batch.add(client.resource(CallerPods.pod(name + "-" + i, annotations)).inNamespace(NS).create());
        }
        List<CallerPods.Outcome> outcomes = new ArrayList<>();
        for (Pod pod : batch) {
            outcomes.add(CallerPods.await(client, pod));
        }
        for (Pod pod : batch) {
            client.resource(pod).withGracePeriod(0).delete();
        }
        return outcomes;
    }

    private static List<HasMetadata> load(String yaml) {
        return client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
    }
}
