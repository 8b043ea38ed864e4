package dev.windlass.cli;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.api.v1alpha1.MeshControlPlaneStatus;
import dev.windlass.profiles.render.OperatorResources;
import dev.windlass.testsupport.ApiServer;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tier 2: windlass upgrade against a real apiserver. No operator runs, so the test writes the MeshControlPlane's
 * status as the operator would once it has reconciled the new generation, and marks the operator's Deployment
 * available as the Deployment controller would.
 */
class UpgradeApiServerTest {
    private static KubernetesClient client;
    private static Path kubeconfig;

    @BeforeAll
    static void anAvailableOperator() throws Exception {
        client = ApiServer.client();
        // InstallWaitApiServerTest, on the same apiserver, may have applied the CRD as windlass install does
        if (client.apiextensions().v1().customResourceDefinitions().withName("meshcontrolplanes.mesh.windlass.dev").get() == null) {
            ApiServer.installMeshCrd();
        }
        kubeconfig = ApiServer.kubeconfigFile();
        String ns = OperatorResources.NAMESPACE;
        client.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).serverSideApply();
        Deployment operator = client.resource(new DeploymentBuilder().withNewMetadata().withName(OperatorResources.NAME).withNamespace(ns)
                .endMetadata().withNewSpec().withNewSelector().addToMatchLabels("app", "op").endSelector().withNewTemplate()
                .withNewMetadata().addToLabels("app", "op").endMetadata().withNewSpec().addNewContainer().withName("operator")
                .withImage("windlass/operator:0.2.0").endContainer().endSpec().endTemplate().endSpec().build()).serverSideApply();
        operator.setStatus(new DeploymentStatusBuilder().withReplicas(1).withAvailableReplicas(1).withReadyReplicas(1).build());
        client.resource(operator).updateStatus();
    }

    @Test
    void anUpgradeIsPrecheckedAppliedAndFollowedUntilReady(@TempDir Path dir) throws Exception {
        readyMesh("up", "0.1.0");
        Path file = Files.writeString(dir.resolve("mcp.yaml"), """
                apiVersion: mesh.windlass.dev/v1alpha1
                kind: MeshControlPlane
                metadata: {name: up}
                spec: {version: "0.2.0"}
                """);
        CompletableFuture<Void> operator = CompletableFuture.runAsync(() -> reconcileWhenChanged("up", "0.2.0"));

        WindlassCliTest.Result result = WindlassCliTest.run("upgrade", "-f", file.toString(), "--kubeconfig", kubeconfig.toString(),
                "--timeout", "60s");

        operator.get(60, TimeUnit.SECONDS);
        assertThat(result.err()).isEmpty();
        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("✔ control plane 0.1.0 → 0.2.0 with InPlace: allowed\n",
                "applying version 0.2.0\nmeshcontrolplane/up applied; waiting until it is Ready (timeout 60s)\n",
                "✔ meshcontrolplane/up is Ready at 0.2.0\n", "data plane: ");
        assertThat(result.out()).contains("Ready=False Rolling: components\n  … discovery 0.2.0\n  proxies: 0.1.0 (2)\n");
        assertThat(result.out().indexOf("allowed")).isLessThan(result.out().indexOf("applied"));
        assertThat(mcp("up").getSpec().version()).isEqualTo("0.2.0");
    }

    @Test
    void aRefusedPrecheckAppliesNothingAndExitsOne() throws Exception {
        readyMesh("down", "0.2.0");
        WindlassCliTest.Result result = WindlassCliTest.run("upgrade", "--set", "profile=default", "--version", "0.1.0",
                "--kubeconfig", kubeconfig.toString());
        // without -f the mesh is "windlass", which does not exist here
        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("windlass: meshcontrolplane/windlass does not exist; windlass install installs a mesh\n");

        Path file = Files.createTempFile("down", ".yaml");
        Files.writeString(file, "apiVersion: mesh.windlass.dev/v1alpha1\nkind: MeshControlPlane\nmetadata: {name: down}\n");
        WindlassCliTest.Result refused = WindlassCliTest.run("upgrade", "-f", file.toString(), "--version", "0.1.0",
                "--kubeconfig", kubeconfig.toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.out()).contains("✘ control plane 0.2.0 → 0.1.0 with InPlace");
        assertThat(refused.err()).isEqualTo("windlass: the precheck refuses the upgrade to 0.1.0; nothing was applied\n");
        assertThat(mcp("down").getSpec().version()).isEqualTo("0.2.0");
    }

    @Test
    void badInputIsNamedBeforeTheCluster() {
        assertThat(WindlassCliTest.run("upgrade", "--version", "two", "--kubeconfig", "/nonexistent").err())
                .isEqualTo("windlass: --version: 'two' is not a version such as 0.2.0\n");
        assertThat(WindlassCliTest.run("upgrade", "--version", "9.9.9", "--kubeconfig", "/nonexistent").err())
                .isEqualTo("windlass: --version: 9.9.9 is not in this CLI's catalog; see windlass version\n");
        WindlassCliTest.Result revision = WindlassCliTest.run("upgrade", "--version", "0.2.0", "--revision", "canary", "--kubeconfig", "/nonexistent");
        assertThat(revision.code()).isEqualTo(2);
        assertThat(revision.err()).isEqualTo("windlass: --revision: 'canary': the operator names this revision windlass-0-2-0\n");
        assertThat(WindlassCliTest.run("upgrade", "-f", "/nonexistent.yaml").err()).isEqualTo("windlass: /nonexistent.yaml: no such file\n");
    }

    @Test
    void helpShowsTheVersionToMoveTo() {
        WindlassCliTest.Result help = WindlassCliTest.run("upgrade", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).startsWith("Usage: windlass upgrade").contains("--version=V", "--revision=R", "-f, --filename", "--set");
    }

    @Test
    void manifestApplyIsTheInstall() {
        WindlassCliTest.Result help = WindlassCliTest.run("manifest", "apply", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).startsWith("Usage: windlass manifest apply").contains("--set", "--hub", "-f, --filename");
        WindlassCliTest.Result bad = WindlassCliTest.run("manifest", "apply", "--set", "profile=demo", "--hub", "Not A Hub");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo(WindlassCliTest.run("install", "--set", "profile=demo", "--hub", "Not A Hub").err())
                .startsWith("windlass: --hub: 'Not A Hub'");
    }

    private static void readyMesh(String name, String version) {
        MeshControlPlane mcp = client.resource(Serialization.unmarshal("""
                apiVersion: mesh.windlass.dev/v1alpha1
                kind: MeshControlPlane
                metadata: {name: %s}
                spec: {version: "%s"}
                """.formatted(name, version), MeshControlPlane.class)).fieldManager(InstallCommand.FIELD_MANAGER).serverSideApply();
        writeStatus(mcp, version);
    }

    /** What the operator does: once the spec's generation moves, report it reconciled and Ready at the new version. */
    private static void reconcileWhenChanged(String name, String version) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(50);
        while (System.nanoTime() < deadline) {
            MeshControlPlane mcp = mcp(name);
            if (mcp.getMetadata().getGeneration() > 1) {
                mcp.setStatus(status(mcp, "False", version, false));
                client.resource(mcp).updateStatus();
                sleep(2500); // the CLI looks once a second: it sees the rollout first
                writeStatus(mcp(name), version);
                return;
            }
            sleep(200);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void writeStatus(MeshControlPlane mcp, String version) {
        mcp.setStatus(status(mcp, "True", version, true));
        client.resource(mcp).updateStatus();
    }

    /** Ready or not, with the discovery server at {@code version} and two proxies still at 0.1.0. */
    private static MeshControlPlaneStatus status(MeshControlPlane mcp, String ready, String version, boolean discoveryReady) {
        return new MeshControlPlaneStatus(mcp.getMetadata().getGeneration(), List.of(new ConditionBuilder().withType("Ready")
                .withStatus(ready).withReason(discoveryReady ? "Ready" : "Rolling").withMessage("components")
                .withLastTransitionTime("2026-12-06T00:00:00Z").build()),
                List.of(new MeshControlPlaneStatus.ComponentStatus("discovery", discoveryReady, version, null)),
                version, "default", "default", null, List.of(new MeshControlPlaneStatus.ProxyCount("0.1.0", 2)));
    }

    private static MeshControlPlane mcp(String name) {
        return client.resources(MeshControlPlane.class).withName(name).get();
    }
}
