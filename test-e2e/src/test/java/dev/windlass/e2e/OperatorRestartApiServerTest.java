package dev.windlass.e2e;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.operator.install.ManagedObjects;
import dev.windlass.operator.MeshPlanner;
import dev.windlass.operator.revisions.OperatorIdentity;
import dev.windlass.operator.install.ObjectKey;
import dev.windlass.e2e.cluster.ClusterProvider;
import dev.windlass.testsupport.ApiServer;
import dev.windlass.testsupport.ControllerStandIn;
import dev.windlass.testsupport.OperatorProcess;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tier 2, restart safety: the real operator process (the fast-jar the image runs) is killed with SIGKILL in the middle of an install and
 * started again. The mesh must converge to exactly its plan: nothing duplicated, nothing orphaned.
 */
class OperatorRestartApiServerTest {
    private static final String NAME = "restart";
    private final List<OperatorProcess> operators = new ArrayList<>();
    private KubernetesClient client;

    @AfterEach
    void stop() throws InterruptedException {
        if (client != null && client.resources(MeshControlPlane.class).withName(NAME).get() != null) {
            client.resources(MeshControlPlane.class).withName(NAME).delete();
            await().atMost(Duration.ofSeconds(60)).until(() -> client.resources(MeshControlPlane.class).withName(NAME).get() == null);
        }
        for (OperatorProcess operator : operators) {
            operator.kill();
        }
    }

    @Test
    void aKilledOperatorConvergesWithNoDuplicateAndNoOrphan() throws Exception {
        client = ApiServer.client();
        ApiServer.installMeshCrd();
        Path kubeconfig = ApiServer.kubeconfigFile();
        try (ControllerStandIn standIn = new ControllerStandIn(client)) {
            standIn.holdBack("mesh-restart"); // the install stops at the discovery phase: a real "middle"
            startOperator(kubeconfig, "operator-1");
            client.resource(Serialization.unmarshal("""
                    apiVersion: mesh.windlass.dev/v1alpha1
                    kind: MeshControlPlane
                    metadata:
                      name: restart
                    spec:
                      version: "0.2.0"
                      profile: demo
                      namespace: mesh-restart
                    """, MeshControlPlane.class)).serverSideApply();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> !managed().isEmpty());
            operators.get(0).kill();
            int seenAtKill = managed().size();

            standIn.release("mesh-restart");
            startOperator(kubeconfig, "operator-2"); // takes the leader lease once the dead one's expires
            await().atMost(Duration.ofSeconds(90)).until(() -> ready(client.resources(MeshControlPlane.class).withName(NAME).get()));

            MeshControlPlane mcp = client.resources(MeshControlPlane.class).withName(NAME).get();
            Set<ObjectKey> plan = new MeshPlanner(Optional.of("kind"), OperatorIdentity.username(client)).plan(mcp, true, List.of()).objects().stream()
                    .filter(o -> !(o instanceof CustomResourceDefinition)).map(ObjectKey::of).collect(Collectors.toSet());
            assertThat(seenAtKill).as("killed mid-install").isBetween(1, plan.size() - 1);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(managed().stream().map(ObjectKey::of).toList()).containsExactlyInAnyOrderElementsOf(plan));
            assertThat(managed()).allSatisfy(o -> assertThat(o.getMetadata().getOwnerReferences()).hasSize(1));
            assertThat(mcp.getMetadata().getFinalizers()).hasSize(1);
        }
    }

    private static boolean ready(MeshControlPlane mcp) {
        return mcp != null && mcp.getStatus() != null && mcp.getStatus().conditions() != null && mcp.getStatus().conditions().stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    private List<HasMetadata> managed() {
        return new ManagedObjects(client).all(NAME).stream().filter(o -> o.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private void startOperator(Path kubeconfig, String identity) throws IOException {
        operators.add(OperatorProcess.start(OperatorProcess.command(OperatorProcess.fastJar(ClusterProvider.repositoryRoot())),
                kubeconfig, "default", identity, Path.of("target/" + identity + ".log")));
    }
}
