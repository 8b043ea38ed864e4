package dev.windlass.operator;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.operator.install.MeshInstaller;
import dev.windlass.operator.install.MeshPlan;
import dev.windlass.profiles.render.OperatorResources;
import dev.windlass.testsupport.ApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

/**
 * Tier 2: the operator's dry run of a whole mesh passes with the operator's own ClusterRole, which has neither
 * {@code bind} nor {@code escalate}. An admin client hides what the RBAC authorizer checks, so this one
 * impersonates the operator's service account.
 */
class OperatorAccountDryRunApiServerTest {
    private static final String OPERATOR_USER = "system:serviceaccount:windlass-operator:windlass-operator";

    @Test
    void theOperatorsOwnAccountCanDryRunAWholeDemoMesh() {
        KubernetesClient admin = ApiServer.client();
        ApiServer.installMeshCrd();
        admin.resource(new ClusterRoleBuilder().withNewMetadata().withName("dry-run-operator").endMetadata()
                .withRules(OperatorResources.clusterRules()).build()).serverSideApply();
        admin.resource(new ClusterRoleBindingBuilder().withNewMetadata().withName("dry-run-operator").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "dry-run-operator")
                .addNewSubject().withKind("User").withName(OPERATOR_USER).endSubject().build()).serverSideApply();
        MeshControlPlane mcp = Serialization.unmarshal("""
                apiVersion: mesh.windlass.dev/v1alpha1
                kind: MeshControlPlane
                metadata: {name: dryrun}
                spec: {version: "0.2.0", profile: demo, namespace: mesh-dryrun}
                """, MeshControlPlane.class);
        mcp.getMetadata().setUid(UUID.randomUUID().toString());
        MeshPlan plan = new MeshPlanner(Optional.of("kind"), OPERATOR_USER).plan(mcp, true, List.of());
        try (KubernetesClient operator = new KubernetesClientBuilder().withConfig(new ConfigBuilder(admin.getConfiguration())
                .withImpersonateUsername(OPERATOR_USER).withImpersonateGroups("system:authenticated").build()).build()) {
            MeshInstaller installer = new MeshInstaller(operator);
            // The apiserver picks up a new binding within a second or so.
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .untilAsserted(() -> assertThatCode(() -> installer.validate(plan, mcp)).doesNotThrowAnyException());
        }
        for (HasMetadata object : plan.objects()) {
            if (!(object instanceof Namespace) && object.getMetadata().getNamespace() != null) {
                assertThat(admin.resource(object).get()).as("a dry run stores nothing: " + object.getMetadata().getName()).isNull();
            }
        }
    }
}
