package dev.windlass.e2e.upgrade;

import dev.windlass.api.v1alpha1.MeshControlPlaneStatus;
import dev.windlass.e2e.WindlassCli;
import dev.windlass.e2e.cluster.ClusterProvider;
import dev.windlass.e2e.cluster.TestCluster;
import dev.windlass.operator.install.DeploymentRollout;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
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
import static org.awaitility.Awaitility.await;

/**
 * Tier 3, issue 5's in-place scenarios on the local cluster with two versions of this repository's images: a
 * broken upgrade is stopped at the discovery server while traffic keeps flowing, setting the version back rolls
 * back, a real upgrade moves the control plane and new pods while old pods keep their proxy, and a downgrade
 * outside the skew rules is refused without a change.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InPlaceUpgradeE2ETest {
    private static final String NAMESPACE = "windlass-upgrade";
    private static TestCluster cluster;
    private static MeshUnderTest mesh;

    @BeforeAll
    static void installVersionAWithBookinfo() throws Exception {
        cluster = ClusterProvider.get();
        MeshUnderTest.loadImages(cluster);
        mesh = new MeshUnderTest(cluster.client(), "upgrade-mesh", "upgrade-apps");
        var install = WindlassCli.run(cluster, "install", "-f", MeshUnderTest.file(spec("0.1.0", "")).toString(),
                "--platform", "local", "--timeout", "240s");
        assertThat(install.code()).isZero();
        mesh.namespace(Map.of("windlass-injection", "enabled"));
        mesh.deployBookinfo(Set.of("productpage", "details"));
        awaitTraffic();
        assertThat(proxyImages()).containsOnly("windlass/proxy:0.1.0");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (mesh != null) {
            mesh.client.namespaces().withName(mesh.apps).delete();
            WindlassCli.run(cluster, "uninstall", "--name", mesh.name, "--purge", "--timeout", "120s");
        }
    }

    private static String spec(String version, String values) {
        return """
                apiVersion: mesh.windlass.dev/v1alpha1
                kind: MeshControlPlane
                metadata: {name: upgrade-mesh}
                spec:
                  version: "%s"
                  profile: default
                  namespace: %s
                  values: {global: {imagePullPolicy: IfNotPresent%s}}
                """.formatted(version, NAMESPACE, values);
    }

    @Test
    @Order(1)
    void anUpgradeWhoseDiscoveryImageCannotStartIsStoppedAndTrafficKeepsFlowing() throws Exception {
        try {
            // A wrong image under the new version's tag: the proxy image started as a discovery server exits at once.
            cluster.tagImage("docker.io/windlass/proxy:0.2.0", "docker.io/windlass-broken/discovery:0.2.0");
        } catch (UnsupportedOperationException e) {
            Assumptions.abort("a broken image needs a re-tag on the nodes, which a cluster named only by a kubeconfig does not allow: " + e.getMessage());
        }
        mesh.apply(spec("0.2.0", ", hub: windlass-broken"));
        Condition ready = mesh.awaitCondition("Ready", "False", "RolloutFailed", Duration.ofMinutes(3));
        assertThat(ready.getMessage()).contains("The upgrade from 0.1.0 to 0.2.0 is stopped at the discovery server")
                .contains("CrashLoopBackOff").contains("set spec.version back to 0.1.0");
        assertThat(mesh.get().getStatus().version()).isEqualTo("0.1.0");
        assertThat(image(NAMESPACE, "windlass-ingressgateway")).as("gateways wait for the discovery server").isEqualTo("windlass/proxy:0.1.0");
        assertThat(readyPodImages(NAMESPACE, "windlass-discovery")).contains("windlass/discovery:0.1.0");

        Pod fresh = mesh.client.pods().inNamespace(mesh.apps).resource(bookinfoPod("during-broken-upgrade")).create();
        assertThat(MeshUnderTest.proxyImage(fresh)).as("the old discovery server injects its own proxy").isEqualTo("windlass/proxy:0.1.0");
        for (int i = 0; i < 5; i++) {
            assertThat(mesh.detailsStatusThroughProductpage()).isEqualTo(200);
        }
    }

    @Test
    @Order(2)
    void settingTheVersionBackRollsBack() {
        mesh.apply(spec("0.1.0", ""));
        mesh.awaitCondition("Ready", "True", "Ready", Duration.ofMinutes(3));
        assertThat(mesh.client.apps().deployments().inNamespace(NAMESPACE).withName("windlass-discovery").get())
                .matches(DeploymentRollout::complete);
        assertThat(image(NAMESPACE, "windlass-discovery")).isEqualTo("windlass/discovery:0.1.0");
    }

    @Test
    @Order(3)
    void anInPlaceUpgradeMovesTheControlPlaneAndNewPodsWhileOldPodsKeepTheirProxy() throws Exception {
        mesh.client.pods().inNamespace(mesh.apps).withName("during-broken-upgrade").withGracePeriod(0).delete();
        mesh.apply(spec("0.2.0", ""));
        mesh.awaitCondition("Ready", "True", "Ready", Duration.ofMinutes(3));
        assertThat(mesh.get().getStatus().version()).isEqualTo("0.2.0");
        assertThat(image(NAMESPACE, "windlass-discovery")).isEqualTo("windlass/discovery:0.2.0");
        assertThat(image(NAMESPACE, "windlass-ingressgateway")).isEqualTo("windlass/proxy:0.2.0");

        Pod fresh = mesh.client.pods().inNamespace(mesh.apps).resource(bookinfoPod("after-upgrade")).create();
        assertThat(MeshUnderTest.proxyImage(fresh)).isEqualTo("windlass/proxy:0.2.0");
        await().atMost(Duration.ofSeconds(60)).until(() -> proxyImages().containsAll(List.of("windlass/proxy:0.1.0", "windlass/proxy:0.2.0")));
        var version = WindlassCli.run(cluster, "version", "--remote");
        // The CLI counts every proxy in the cluster; the status counts this mesh's.
        assertThat(version.output()).contains("control plane version: 0.2.0").containsPattern("data plane version: 0\\.2\\.0 \\(\\d+ prox[a-z]+\\), 0\\.1\\.0 \\(");
        await().atMost(Duration.ofSeconds(60)).until(() -> counts().getOrDefault("0.2.0", 0) >= 1 && counts().getOrDefault("0.1.0", 0) >= 2);
        assertThat(mesh.detailsStatusThroughProductpage()).isEqualTo(200);

        mesh.client.pods().inNamespace(mesh.apps).withName("after-upgrade").withGracePeriod(0).delete();
        mesh.restartApps();
        mesh.awaitRolledOut();
        await().atMost(Duration.ofSeconds(90)).until(() -> proxyImages().equals(Set.of("windlass/proxy:0.2.0")));
        assertThat(WindlassCli.run(cluster, "version", "--remote").output()).contains("data plane version: 0.2.0 (").doesNotContain("0.1.0 (");
        await().atMost(Duration.ofSeconds(60)).until(() -> !counts().containsKey("0.1.0"));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> mesh.detailsStatusThroughProductpage() == 200);
    }

    @Test
    @Order(4)
    void aDowngradeOutsideTheSkewRulesIsRefusedAndNothingChanges() throws Exception {
        Map<String, String> before = resourceVersions();
        var precheck = WindlassCli.run(cluster, "precheck", "--to", "0.1.0", "--name", mesh.name);
        assertThat(precheck.code()).isEqualTo(1);
        assertThat(precheck.output()).contains("a downgrade may only go to the previous patch of 0.2");
        mesh.apply(spec("0.1.0", ""));
        Condition upgradeable = mesh.awaitCondition("Upgradeable", "False", "UpgradeNotAllowed", Duration.ofSeconds(60));
        assertThat(upgradeable.getMessage()).contains("0.2.0 → 0.1.0 is not allowed").contains("Allowed next versions from 0.2.0");
        assertThat(mesh.get().getStatus().version()).isEqualTo("0.2.0");
        assertThat(resourceVersions()).isEqualTo(before);
        mesh.apply(spec("0.2.0", ""));
        mesh.awaitCondition("Upgradeable", "True", null, Duration.ofSeconds(60));
    }

    private static void awaitTraffic() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> mesh.detailsStatusThroughProductpage() == 200);
    }

    private static Map<String, Integer> counts() {
        List<MeshControlPlaneStatus.ProxyCount> dataPlane = mesh.get().getStatus().dataPlane();
        return dataPlane == null ? Map.of() : dataPlane.stream().collect(Collectors.toMap(MeshControlPlaneStatus.ProxyCount::version,
                MeshControlPlaneStatus.ProxyCount::proxies));
    }

    private static Set<String> proxyImages() {
        return mesh.client.pods().inNamespace(mesh.apps).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).map(MeshUnderTest::proxyImage).collect(Collectors.toSet());
    }

    private static String image(String namespace, String deployment) {
        Deployment d = mesh.client.apps().deployments().inNamespace(namespace).withName(deployment).get();
        return d.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage();
    }

    private static List<String> readyPodImages(String namespace, String app) {
        return mesh.client.pods().inNamespace(namespace).withLabel("app", app).list().getItems().stream()
                .filter(p -> p.getStatus().getContainerStatuses() != null && p.getStatus().getContainerStatuses().stream().allMatch(s -> s.getReady()))
                .map(p -> p.getSpec().getContainers().getFirst().getImage()).toList();
    }

    private static Map<String, String> resourceVersions() {
        return mesh.client.apps().deployments().inNamespace(NAMESPACE).list().getItems().stream().map(d -> (HasMetadata) d)
                .collect(Collectors.toMap(d -> d.getMetadata().getName(), d -> d.getMetadata().getResourceVersion()));
    }

    private static Pod bookinfoPod(String name) {
        return new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName(name).withLabels(Map.of("app", name)).endMetadata()
                .withNewSpec().addNewContainer().withName("details").withImage("windlass/bookinfo:0.2.0").withImagePullPolicy("IfNotPresent")
                .withArgs("details").endContainer().endSpec().build();
    }
}
