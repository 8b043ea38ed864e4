package dev.windlass.cli;

import dev.windlass.injector.InjectionNames;
import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.api.v1alpha1.MeshControlPlaneStatus;
import dev.windlass.testsupport.ApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Tier 2: precheck and version --remote read a real apiserver, as they would a cluster. */
class PrecheckApiServerTest {
    private static Path kubeconfig;

    @BeforeAll
    static void meshAtOneDotOneWithAnOldProxy() throws Exception {
        KubernetesClient client = ApiServer.client();
        ApiServer.installMeshCrd();
        kubeconfig = ApiServer.kubeconfigFile();
        MeshControlPlane mcp = client.resource(Serialization.unmarshal("""
                apiVersion: mesh.windlass.dev/v1alpha1
                kind: MeshControlPlane
                metadata: {name: pre}
                spec: {version: "0.1.0"}
                """, MeshControlPlane.class)).serverSideApply();
        mcp.setStatus(new MeshControlPlaneStatus(1L, List.of(), null, "0.1.0", "default", "default", null, null));
        client.resource(mcp).updateStatus();
        client.resource(new NamespaceBuilder().withNewMetadata().withName("apps").endMetadata().build()).serverSideApply();
        client.resource(new PodBuilder().withNewMetadata().withName("app-1").withNamespace("apps")
                .withAnnotations(Map.of(InjectionNames.STATUS_ANNOTATION, "{}")).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("app:1").endContainer()
                .addNewContainer().withName("windlass-proxy").withImage("windlass/proxy:0.1.0").endContainer().endSpec()
                .build()).serverSideApply();
    }

    @Test
    void anAllowedUpgradeSaysSoAndCountsTheProxies() {
        WindlassCliTest.Result result = WindlassCliTest.run("precheck", "--to", "0.2.0", "--name", "pre", "--kubeconfig", kubeconfig.toString());
        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("✔ control plane 0.1.0 → 0.2.0 with InPlace: allowed")
                .contains("data plane: 0.1.0 (1 proxy)").contains("every proxy is within the supported skew");
    }

    @Test
    void aRefusedUpgradeNamesTheAllowedVersionsAndExitsOne() {
        WindlassCliTest.Result result = WindlassCliTest.run("precheck", "--to", "9.9.9", "--name", "pre", "--kubeconfig", kubeconfig.toString());
        assertThat(result.code()).isEqualTo(1);
        assertThat(result.out()).contains("9.9.9 is not in the catalog").contains("Allowed next versions from 0.1.0 with InPlace: 0.2.0");
        assertThat(WindlassCliTest.run("precheck", "--to", "two", "--kubeconfig", kubeconfig.toString()).err()).contains("--to: 'two'");
    }

    @Test
    void versionRemotePrintsControlAndDataPlaneVersions() {
        WindlassCliTest.Result result = WindlassCliTest.run("version", "--remote", "--kubeconfig", kubeconfig.toString());
        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("control plane version: 0.1.0 (meshcontrolplane/pre)").contains("data plane version: 0.1.0 (1 proxy)");
    }
}
