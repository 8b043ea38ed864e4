package dev.windlass.e2e;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.e2e.cluster.ClusterProvider;
import dev.windlass.e2e.cluster.MeshImages;
import dev.windlass.e2e.cluster.TestCluster;
import dev.windlass.profiles.render.OperatorResources;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
    private static final String POISON = "e2e-poison";
    private static final String POISON_NAMESPACE = "windlass-e2e-poison";
    private static final String POISON_MCP = """
            apiVersion: mesh.windlass.dev/v1alpha1
            kind: MeshControlPlane
            metadata:
              name: %s
            spec:
              version: "0.2.0"
              profile: minimal
              namespace: %s
              components:
                discovery:
                  k8s:
                    replicas: 2147483648
            """.formatted(POISON, POISON_NAMESPACE);
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

    /**
     * The poison pill of issue 22: a count beyond int32 is refused at admission; written anyway (through a looser
     * CRD, as an older install had), it is reported on its own object while the good mesh keeps reconciling.
     */
    @Test
    @Order(2)
    void aSpecJavaCannotReadIsRefusedAtAdmissionAndReportedWhenItGetsIn() {
        assertThatThrownBy(() -> applyRaw(POISON_MCP)).isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("spec.components.discovery.k8s.replicas");
        var crds = client.apiextensions().v1().customResourceDefinitions().withName(MeshControlPlane.CRD_NAME);
        CustomResourceDefinition strict = crds.get();
        try {
            crds.edit(MeshLifecycleE2ETest::withoutReplicaBounds);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> applyRaw(POISON_MCP));
        } finally {
            strict.getMetadata().setResourceVersion(crds.get().getMetadata().getResourceVersion());
            client.resource(strict).update();
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(reconciled(POISON).getMessage())
                .contains("The spec cannot be read: spec.components.discovery.k8s.replicas").contains("2147483648"));
        assertThat(reconciled(POISON).getStatus()).isEqualTo("False");
        assertThat(client.namespaces().withName(POISON_NAMESPACE).get()).isNull();
    }

    @Test
    @Order(3)
    void switchingToDefaultPrunesTheEgressGateway() throws Exception {
        assertThat(windlass("install", "-f", mcp("default").toString(), "--timeout", "180s")).isZero();
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            assertThat(client.apps().deployments().inNamespace(NAMESPACE).withName("windlass-egressgateway").get()).isNull();
            assertThat(client.pods().inNamespace(NAMESPACE).withLabel("app", "windlass-egressgateway").list().getItems()).isEmpty();
        });
        assertThat(client.apps().deployments().inNamespace(NAMESPACE).withName("windlass-ingressgateway").get()).isNotNull();
    }

    @Test
    @Order(4)
    void aKilledOperatorComesBackAndConvergesBesideTheUnreadableSpec() {
        String operatorNamespace = OperatorResources.NAMESPACE;
        List<Pod> before = client.pods().inNamespace(operatorNamespace).list().getItems();
        assertThat(before).isNotEmpty();
        client.resourceList(before).withGracePeriod(0).delete();
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(client.pods().inNamespace(operatorNamespace).list()
                .getItems()).anySatisfy(p -> {
                    assertThat(before).noneMatch(old -> old.getMetadata().getUid().equals(p.getMetadata().getUid()));
                    assertThat(p.getStatus().getConditions()).anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
                }));
        // Drift only the new operator can repair.
        var gatewayService = client.services().inNamespace(NAMESPACE).withName("windlass-ingressgateway");
        String oldUid = gatewayService.get().getMetadata().getUid();
        gatewayService.withGracePeriod(0).delete();
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            assertThat(gatewayService.get()).isNotNull().extracting(s -> s.getMetadata().getUid()).isNotEqualTo(oldUid);
            assertThat(reconciled(NAME).getStatus()).isEqualTo("True");
        });
        assertThat(reconciled(POISON).getMessage()).contains("spec.components.discovery.k8s.replicas");
        client.resources(MeshControlPlane.class).withName(POISON).delete();
        await().atMost(Duration.ofMinutes(1)).until(() -> client.resources(MeshControlPlane.class).withName(POISON).get() == null);
    }

    @Test
    @Order(5)
    void deletingTheMeshLeavesNothingWithItsLabels() throws Exception {
        assertThat(labelled()).isNotEmpty();
        assertThat(windlass("uninstall", "--name", NAME, "--timeout", "120s")).isZero();
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(labelled()).hasSize(objectsBefore).isEmpty());
    }

    private static Condition reconciled(String name) {
        MeshControlPlane mcp = client.resources(MeshControlPlane.class).withName(name).get();
        return mcp.getStatus() == null || mcp.getStatus().conditions() == null ? new Condition()
                : mcp.getStatus().conditions().stream().filter(c -> "Reconciled".equals(c.getType())).findFirst().orElse(new Condition());
    }

    /** The CRD as installs before the int32 bounds had it, so that a count Java cannot read gets stored. */
    private static CustomResourceDefinition withoutReplicaBounds(CustomResourceDefinition crd) {
        var replicas = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec")
                .getProperties().get("components").getProperties().get("discovery").getProperties().get("k8s")
                .getProperties().get("replicas");
        replicas.setFormat(null);
        replicas.setMaximum(null);
        return crd;
    }

    /** Past the typed model, which could not even hold the value. */
    private static void applyRaw(String yaml) {
        client.resource(Serialization.unmarshal(yaml, GenericKubernetesResource.class)).fieldManager("e2e").forceConflicts()
                .serverSideApply();
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
