package dev.windlass.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.e2e.cluster.ClusterProvider;
import dev.windlass.e2e.cluster.TestCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tier 3, needs pods: the cluster itself works. Two workloads from a locally built image; one reaches the other
 * by Service DNS name (CoreDNS and kube-proxy); deleting a Deployment garbage-collects its ReplicaSet and pods.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterSmokeE2ETest {
    private static final String NS = "smoke-" + Long.toString(System.nanoTime() % 100000, 36);
    private static KubernetesClient client;

    @BeforeAll
    static void deploy() throws Exception {
        TestCluster cluster = ClusterProvider.get();
        Path image = ClusterProvider.repositoryRoot().resolve("samples/target/images/bookinfo.tar");
        assertThat(image).as("the bookinfo image; build it with ./mvnw -pl samples -am package -DskipImages=false").exists();
        cluster.loadImages(List.of(image));
        client = cluster.client();
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        String yaml = Files.readString(ClusterProvider.repositoryRoot().resolve("samples/bookinfo/bookinfo.yaml"));
        for (HasMetadata object : client.load(new java.io.ByteArrayInputStream(yaml.getBytes())).items()) {
            String app = object.getMetadata().getName().replaceAll("-v1$", "").replaceFirst("^bookinfo-", "");
            if (List.of("details", "productpage").contains(app)) {
                client.resource(object).inNamespace(NS).create();
            }
        }
        for (String deployment : List.of("details-v1", "productpage-v1")) {
            client.apps().deployments().inNamespace(NS).withName(deployment).waitUntilCondition(ClusterSmokeE2ETest::available, 3, TimeUnit.MINUTES);
        }
    }

    @AfterAll
    static void cleanUp() {
        if (client != null) {
            client.namespaces().withName(NS).delete();
        }
    }

    @Test
    @Order(1)
    void onePodReachesAnotherByServiceDnsName() throws Exception {
        // productpage calls http://details:9080: CoreDNS resolves the name and kube-proxy routes the ClusterIP.
        String path = "/api/v1/namespaces/" + NS + "/services/productpage:9080/proxy/api/v1/products/0";
        JsonNode page = await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .until(() -> new ObjectMapper().readTree(client.raw(path)), p -> p.at("/details/status").asInt() == 200);
        assertThat(page.at("/service").asText()).isEqualTo("productpage");
        assertThat(page.at("/details/body/service").asText()).isEqualTo("details");
        assertThat(page.at("/details/body/pod").asText()).startsWith("details-v1-");
    }

    @Test
    @Order(2)
    void deletingADeploymentGarbageCollectsItsReplicaSetAndPods() {
        var replicaSets = client.apps().replicaSets().inNamespace(NS).withLabel("app", "details");
        var pods = client.pods().inNamespace(NS).withLabel("app", "details");
        assertThat(replicaSets.list().getItems()).isNotEmpty();
        assertThat(pods.list().getItems()).isNotEmpty();

        client.apps().deployments().inNamespace(NS).withName("details-v1").delete();

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(replicaSets.list().getItems()).isEmpty();
            assertThat(pods.list().getItems()).isEmpty();
        });
    }

    private static boolean available(Deployment d) {
        return d != null && d.getStatus() != null && d.getStatus().getConditions() != null
                && d.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Available") && c.getStatus().equals("True"));
    }
}
