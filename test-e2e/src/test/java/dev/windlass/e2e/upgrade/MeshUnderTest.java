package dev.windlass.e2e.upgrade;

import dev.windlass.e2e.WindlassCli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.e2e.cluster.ClusterProvider;
import dev.windlass.e2e.cluster.MeshImages;
import dev.windlass.e2e.cluster.TestCluster;
import dev.windlass.operator.install.DeploymentRollout;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;

/** One mesh and one application namespace on the test cluster, as the upgrade tests drive them. */
final class MeshUnderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    final KubernetesClient client;
    final String name;
    final String apps;

    MeshUnderTest(KubernetesClient client, String name, String apps) {
        this.client = client;
        this.name = name;
        this.apps = apps;
    }

    /** This build's images of both mesh versions, the operator and Bookinfo, on the cluster. */
    static void loadImages(TestCluster cluster) {
        List<String> more = new ArrayList<>(MeshImages.PREVIOUS_VERSION);
        more.add(MeshImages.BOOKINFO);
        MeshImages.load(cluster, more.toArray(String[]::new));
    }

    /** windlass install -f of this MeshControlPlane, then the app namespace with these labels and Bookinfo's productpage and details. */
    void installWithBookinfo(TestCluster cluster, String mcpYaml, Map<String, String> namespaceLabels) throws Exception {
        var install = WindlassCli.run(cluster, "install", "-f", file(mcpYaml).toString(), "--platform", "local", "--timeout", "240s");
        if (install.code() != 0) {
            throw new AssertionError("windlass install exited with " + install.code() + ": " + install.errors());
        }
        namespace(namespaceLabels);
        deployBookinfo(Set.of("productpage", "details"));
    }

    /** Deletes the app namespace and uninstalls the mesh with --purge. */
    void remove(TestCluster cluster) throws Exception {
        client.namespaces().withName(apps).delete();
        WindlassCli.run(cluster, "uninstall", "--name", name, "--purge", "--timeout", "120s");
    }

    static Path file(String yaml) throws IOException {
        Path file = Files.createTempFile("mcp-", ".yaml");
        return Files.writeString(file, yaml);
    }

    /** Applies the MeshControlPlane as {@code kubectl apply --server-side} would. */
    void apply(String yaml) {
        client.resource(Serialization.unmarshal(yaml, MeshControlPlane.class)).fieldManager("e2e").forceConflicts().serverSideApply();
    }

    MeshControlPlane get() {
        return client.resources(MeshControlPlane.class).withName(name).get();
    }

    Optional<Condition> condition(String type) {
        MeshControlPlane mcp = get();
        return mcp == null || mcp.getStatus() == null || mcp.getStatus().conditions() == null ? Optional.empty()
                : mcp.getStatus().conditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /** Waits for a condition of the current generation. */
    Condition awaitCondition(String type, String status, String reason, Duration atMost) {
        AtomicReference<Condition> seen = new AtomicReference<>();
        await().atMost(atMost).pollInterval(Duration.ofSeconds(1)).until(() -> {
            MeshControlPlane mcp = get();
            Optional<Condition> match = condition(type).filter(c -> status.equals(c.getStatus())
                    && (reason == null || reason.equals(c.getReason())) && mcp.getMetadata().getGeneration().equals(c.getObservedGeneration()));
            match.ifPresent(seen::set);
            return match.isPresent();
        });
        return seen.get();
    }

    void namespace(Map<String, String> labels) {
        client.resource(new NamespaceBuilder().withNewMetadata().withName(apps).withLabels(labels).endMetadata().build())
                .fieldManager("e2e").forceConflicts().serverSideApply();
    }

    /** The named Bookinfo apps (Deployment and Service each), available. */
    void deployBookinfo(Set<String> appNames) throws IOException {
        String yaml = Files.readString(ClusterProvider.repositoryRoot().resolve("samples/bookinfo/bookinfo.yaml"));
        for (HasMetadata object : client.load(new ByteArrayInputStream(yaml.getBytes())).items()) {
            if (appNames.contains(object.getMetadata().getLabels().get("app"))) {
                client.resource(object).inNamespace(apps).serverSideApply();
            }
        }
        awaitRolledOut();
    }

    void awaitRolledOut() {
        for (Deployment deployment : client.apps().deployments().inNamespace(apps).list().getItems()) {
            client.resource(deployment).waitUntilCondition(DeploymentRollout::complete, 4, TimeUnit.MINUTES);
        }
        await().atMost(Duration.ofMinutes(2)).until(() -> client.pods().inNamespace(apps).list().getItems().stream()
                .allMatch(p -> p.getMetadata().getDeletionTimestamp() == null && "Running".equals(p.getStatus().getPhase())));
    }

    /** {@code kubectl rollout restart} of every Deployment in the app namespace. */
    void restartApps() {
        String now = Instant.now().toString();
        for (Deployment deployment : client.apps().deployments().inNamespace(apps).list().getItems()) {
            client.apps().deployments().inNamespace(apps).withName(deployment.getMetadata().getName()).edit(d -> {
                d.getSpec().getTemplate().getMetadata().setAnnotations(Map.of("kubectl.kubernetes.io/restartedAt", now));
                return d;
            });
        }
    }

    /** productpage's view of details through both sidecars, via the apiserver's service proxy. */
    int detailsStatusThroughProductpage() {
        try {
            JsonNode page = JSON.readTree(client.raw("/api/v1/namespaces/" + apps + "/services/productpage:9080/proxy/api/v1/products/0"));
            return page.at("/details/status").asInt();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static String proxyImage(Pod pod) {
        return pod.getSpec().getContainers().stream().filter(c -> c.getName().equals("windlass-proxy")).map(c -> c.getImage())
                .findFirst().orElse("none");
    }
}
