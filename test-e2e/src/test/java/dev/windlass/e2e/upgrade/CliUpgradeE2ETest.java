package dev.windlass.e2e.upgrade;

import dev.windlass.e2e.WindlassCli;
import dev.windlass.e2e.cluster.ClusterProvider;
import dev.windlass.e2e.cluster.TestCluster;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tier 3, issue 26's must-show 3: {@code windlass upgrade -f} of a mesh from 0.1.0 to 0.2.0 ({@code spec.version})
 * on the cluster, Bookinfo's productpage and details in the mesh; its progress output is captured and checked:
 * the precheck before the apply, the wait until Ready at 0.2.0, the data plane's versions after it.
 */
@Tag("e2e")
class CliUpgradeE2ETest {
    private static final String NAMESPACE = "windlass-cli-upgrade";
    private static TestCluster cluster;
    private static MeshUnderTest mesh;

    @BeforeAll
    static void meshAtZeroOneWithBookinfo() throws Exception {
        cluster = ClusterProvider.get();
        MeshUnderTest.loadImages(cluster);
        mesh = new MeshUnderTest(cluster.client(), "cli-upgrade", "cli-upgrade-apps");
        mesh.installWithBookinfo(cluster, spec("0.1.0"), Map.of("windlass-injection", "enabled"));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (mesh != null) {
            mesh.remove(cluster);
        }
    }

    private static String spec(String version) {
        return """
                apiVersion: mesh.windlass.dev/v1alpha1
                kind: MeshControlPlane
                metadata: {name: cli-upgrade}
                spec:
                  version: "%s"
                  profile: default
                  namespace: %s
                  values: {global: {imagePullPolicy: IfNotPresent}}
                """.formatted(version, NAMESPACE);
    }

    @Test
    void upgradeMovesTheMeshToZeroTwoShowingItsProgress() throws Exception {
        WindlassCli.Result upgrade = WindlassCli.run(cluster, "upgrade", "-f", MeshUnderTest.file(spec("0.2.0")).toString(), "--timeout", "300s");

        assertThat(upgrade.errors()).isEmpty();
        assertThat(upgrade.code()).isZero();
        String out = upgrade.output();
        assertThat(out).contains("✔ control plane 0.1.0 → 0.2.0 with InPlace: allowed\n", "applying version 0.2.0\n",
                "meshcontrolplane/cli-upgrade applied; waiting until it is Ready (timeout 300s)\n",
                "] waiting for ", "✔ meshcontrolplane/cli-upgrade is Ready at 0.2.0\n", "data plane: ");
        assertThat(out.indexOf("allowed")).isLessThan(out.indexOf("applying version"));
        assertThat(out.indexOf("applying version")).isLessThan(out.indexOf("is Ready at 0.2.0"));
        assertThat(mesh.get().getStatus().version()).isEqualTo("0.2.0");
        Deployment discovery = mesh.client.apps().deployments().inNamespace(NAMESPACE).withName("windlass-discovery").get();
        assertThat(discovery.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()).isEqualTo("windlass/discovery:0.2.0");
        assertThat(mesh.detailsStatusThroughProductpage()).as("traffic after the upgrade").isEqualTo(200);
    }
}
