package dev.windlass.e2e.upgrade;

import dev.windlass.api.v1alpha1.MeshRevision;
import dev.windlass.e2e.WindlassCli;
import dev.windlass.e2e.cluster.ClusterProvider;
import dev.windlass.e2e.cluster.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Tier 3, issue 5's revision-based scenario: version A's revision keeps serving while B's runs beside it; a
 * namespace relabelled to B gets proxy B on restart, with traffic through both sidecars; once no pod uses A, its
 * revision is removed after the grace period.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RevisionBasedUpgradeE2ETest {
    private static final String NAMESPACE = "windlass-canary";
    private static final String A = "canary-0-1-0";
    private static final String B = "canary-0-2-0";
    private static TestCluster cluster;
    private static MeshUnderTest mesh;

    @BeforeAll
    static void installRevisionA() throws Exception {
        cluster = ClusterProvider.get();
        MeshUnderTest.loadImages(cluster);
        mesh = new MeshUnderTest(cluster.client(), "canary", "canary-apps");
        var install = WindlassCli.run(cluster, "install", "-f", MeshUnderTest.file(spec("0.1.0")).toString(),
                "--platform", "local", "--timeout", "240s");
        assertThat(install.code()).isZero();
        mesh.namespace(Map.of("windlass.dev/rev", A));
        mesh.deployBookinfo(Set.of("productpage", "details"));
        await().atMost(Duration.ofSeconds(90)).until(() -> mesh.detailsStatusThroughProductpage() == 200);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (mesh != null) {
            mesh.client.namespaces().withName(mesh.apps).delete();
            WindlassCli.run(cluster, "uninstall", "--name", mesh.name, "--purge", "--timeout", "120s");
        }
    }

    private static String spec(String version) {
        return spec(version, false);
    }

    private static String spec(String version, boolean updateWorkloads) {
        return """
                apiVersion: mesh.windlass.dev/v1alpha1
                kind: MeshControlPlane
                metadata: {name: canary}
                spec:
                  version: "%s"
                  profile: minimal
                  namespace: %s
                  updateStrategy: {type: RevisionBased, inactiveRevisionDeletionGracePeriodSeconds: 5, updateWorkloads: %s}
                """.formatted(version, NAMESPACE, updateWorkloads);
    }

    @Test
    @Order(1)
    void upgradingRunsRevisionBBesideA() {
        assertThat(podRevisions()).containsOnly(A);
        mesh.apply(spec("0.2.0"));
        mesh.awaitCondition("Ready", "True", "Ready", Duration.ofMinutes(3));
        assertThat(mesh.get().getStatus().activeRevision()).isEqualTo(B);
        assertThat(revisions()).containsExactlyInAnyOrder(A, B);
        assertThat(readyDiscoveryPods()).containsExactlyInAnyOrder("windlass-discovery-" + A, "windlass-discovery-" + B);
        assertThat(mesh.detailsStatusThroughProductpage()).as("A keeps serving its pods").isEqualTo(200);
        // Even a cluster admin cannot delete a revision from under its pods: only the operator writes them.
        assertThatThrownBy(() -> mesh.client.resources(MeshRevision.class).withName(A).delete())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403))
                .hasMessageContaining("read-only");
    }

    @Test
    @Order(2)
    void aNamespaceRelabelledToBIsReportedThenMovedByUpdateWorkloadsAndRevisionAGoesOnceUnused() {
        mesh.namespace(Map.of("windlass.dev/rev", B));
        // updateWorkloads is off: the relabel alone is noticed, the status says what is left, and nothing restarts.
        await().atMost(Duration.ofSeconds(60)).until(() -> readyMessage().contains("still run an older revision in namespaces that select " + B));
        assertThat(readyMessage()).contains(mesh.apps + "/productpage-v1", mesh.apps + "/details-v1");
        assertThat(podRevisions()).containsOnly(A);

        mesh.apply(spec("0.2.0", true));
        await().atMost(Duration.ofMinutes(3)).until(() -> podRevisions().equals(Set.of(B)));
        mesh.awaitRolledOut();
        assertThat(mesh.client.apps().deployments().inNamespace(mesh.apps).list().getItems()).allSatisfy(d ->
                assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("windlass.dev/restarted-for-revision", B));
        assertThat(mesh.client.pods().inNamespace(mesh.apps).list().getItems()).allSatisfy(p ->
                assertThat(MeshUnderTest.proxyImage(p)).isEqualTo("windlass/proxy:0.2.0"));
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> mesh.detailsStatusThroughProductpage() == 200);

        await().atMost(Duration.ofSeconds(90)).until(() -> !revisions().contains(A));
        await().atMost(Duration.ofSeconds(60)).until(() -> readyDiscoveryPods().equals(List.of("windlass-discovery-" + B)));
        assertThat(mesh.client.apps().deployments().inNamespace(NAMESPACE).withName("windlass-discovery-" + A).get()).isNull();
        await().atMost(Duration.ofSeconds(30)).until(() -> mesh.get().getStatus().revisions().total() == 1); // on the next reconcile
    }

    private static String readyMessage() {
        return mesh.condition("Ready").map(c -> c.getMessage()).orElse("");
    }

    private static Set<String> revisions() {
        return mesh.client.resources(MeshRevision.class).withLabel("app.kubernetes.io/instance", mesh.name).list().getItems().stream()
                .filter(r -> r.getMetadata().getDeletionTimestamp() == null).map(r -> r.getMetadata().getName()).collect(Collectors.toSet());
    }

    private static Set<String> podRevisions() {
        return mesh.client.pods().inNamespace(mesh.apps).list().getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .map(p -> p.getMetadata().getLabels().get("windlass.dev/rev")).collect(Collectors.toSet());
    }

    private static List<String> readyDiscoveryPods() {
        return mesh.client.pods().inNamespace(NAMESPACE).withLabel("app", "windlass-discovery").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getStatus().getContainerStatuses() != null
                        && p.getStatus().getContainerStatuses().stream().allMatch(s -> Boolean.TRUE.equals(s.getReady())))
                .map(RevisionBasedUpgradeE2ETest::deploymentName).sorted().toList();
    }

    /** A ReplicaSet pod's name minus the ReplicaSet hash and pod suffix. */
    private static String deploymentName(Pod pod) {
        String name = pod.getMetadata().getName();
        return name.substring(0, name.lastIndexOf('-', name.lastIndexOf('-') - 1));
    }
}
