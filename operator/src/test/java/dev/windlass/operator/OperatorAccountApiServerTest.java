package dev.windlass.operator;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.contract.MeshIdentity;
import dev.windlass.operator.install.MeshInstaller;
import dev.windlass.operator.install.MeshPlan;
import dev.windlass.operator.install.ObjectApplier;
import dev.windlass.operator.install.ObjectKey;
import dev.windlass.operator.install.Pruner;
import dev.windlass.profiles.render.OperatorResources;
import dev.windlass.testsupport.ApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Tier 2: the operator's own account, with only what {@code windlass install} gives it (its ClusterRole and the
 * ClusterRoles it may {@code bind}), against the real RBAC authorizer. An admin client hides what RBAC checks, so
 * these clients impersonate service accounts. The operator dry-runs a whole mesh, creates every role and binding
 * of one (a binding to a role it neither holds nor may bind is refused), replaces an earlier release's gateway
 * binding, and reads no Secret; the gateways and the discovery server get exactly their Secrets.
 */
class OperatorAccountApiServerTest {
    private static final String OPERATOR_USER = "system:serviceaccount:" + OperatorResources.NAMESPACE + ":" + OperatorResources.NAME;
    private static final String RBAC = "rbac.authorization.k8s.io";
    private static KubernetesClient admin;
    private static KubernetesClient operator;

    @BeforeAll
    static void theOperatorsAccountAsWindlassInstallCreatesIt() {
        admin = ApiServer.client();
        ApiServer.installMeshCrd();
        OperatorResources.render(OperatorResources.image(Optional.empty()), Optional.empty()).stream()
                .filter(o -> o instanceof ClusterRole || o instanceof ClusterRoleBinding)
                .forEach(o -> admin.resource(o).fieldManager("test").forceConflicts().serverSideApply());
        operator = as(OPERATOR_USER);
        // The authorizer picks up a new binding within a second or so.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> operator.resources(MeshControlPlane.class).list() != null);
    }

    @AfterAll
    static void close() {
        if (operator != null) {
            operator.close();
        }
    }

    @Test
    void theOperatorsOwnAccountCanDryRunAWholeDemoMesh() {
        MeshControlPlane mcp = mesh("dryrun", "demo");
        MeshPlan plan = plan(mcp);
        MeshInstaller installer = new MeshInstaller(operator);
        assertThatCode(() -> installer.validate(plan, mcp)).doesNotThrowAnyException();
        for (HasMetadata object : plan.objects()) {
            if (!(object instanceof Namespace) && object.getMetadata().getNamespace() != null) {
                assertThat(admin.resource(object).get()).as("a dry run stores nothing: " + object.getMetadata().getName()).isNull();
            }
        }
    }

    /** Every Role, ClusterRole and binding of a demo mesh, created as the operator: Kubernetes checks each grant. */
    @Test
    void theOperatorBindsTheSecretAccessOfGatewaysAndTheDiscoveryServerButReadsNoSecret() {
        MeshControlPlane mcp = mesh("rbac", "demo");
        MeshPlan plan = plan(mcp);
        new ObjectApplier(operator).apply(plan.objects().stream().filter(o -> o instanceof Namespace || o instanceof ServiceAccount
                || o instanceof Role || o instanceof RoleBinding || o instanceof ClusterRole || o instanceof ClusterRoleBinding).toList(), mcp);
        String ns = plan.namespace();
        assertThat(admin.rbac().roleBindings().inNamespace(ns).withName("windlass-ingressgateway").get().getRoleRef().getName())
                .isEqualTo(OperatorResources.GATEWAY_CREDENTIALS_ROLE);
        assertThat(admin.rbac().roles().inNamespace(ns).list().getItems()).extracting(r -> r.getMetadata().getName())
                .doesNotContain("windlass-ingressgateway", "windlass-egressgateway");
        admin.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName(MeshIdentity.CA_SECRET).endMetadata()
                .addToStringData("ca.crt", "x").build()).create();
        admin.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("shop-credential").endMetadata()
                .addToStringData("tls.crt", "x").build()).create();

        assertForbidden(() -> operator.secrets().inNamespace(ns).withName(MeshIdentity.CA_SECRET).get());
        assertForbidden(() -> operator.secrets().inAnyNamespace().list());
        assertForbidden(() -> operator.resource(binding(ns, "to-cluster-admin", "cluster-admin")).create());
        admin.resource(new ClusterRoleBuilder().withNewMetadata().withName("test-secret-reader").endMetadata().withRules(new PolicyRuleBuilder()
                .withApiGroups("").withResources("secrets").withVerbs("get").build()).build()).serverSideApply();
        assertForbidden(() -> operator.resource(binding(ns, "to-secret-reader", "test-secret-reader")).create());

        try (KubernetesClient gateway = as("system:serviceaccount:" + ns + ":windlass-ingressgateway");
             KubernetesClient discovery = as("system:serviceaccount:" + ns + ":windlass-discovery")) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                assertThat(gateway.secrets().inNamespace(ns).withName("shop-credential").get()).isNotNull();
                assertThat(discovery.secrets().inNamespace(ns).withName(MeshIdentity.CA_SECRET).get()).isNotNull();
            });
            assertThat(gateway.secrets().inNamespace(ns).list().getItems()).hasSize(2);
            assertForbidden(() -> gateway.secrets().inNamespace("default").list());
            assertForbidden(() -> discovery.secrets().inNamespace(ns).withName("shop-credential").get());
            assertForbidden(() -> discovery.secrets().inNamespace(ns).list());
        }
    }

    /**
     * A gateway's binding from an earlier release refers to the gateway's own Role; a roleRef cannot change, so the
     * applier replaces the binding, and the Role, no longer rendered, is pruned: both as the operator, which could
     * not create that Role any more.
     */
    @Test
    void anEarlierReleasesGatewayBindingIsReplacedAndItsRolePruned() {
        MeshControlPlane mcp = mesh("rbac-upgrade", "default");
        MeshPlan plan = plan(mcp);
        String ns = plan.namespace();
        RoleBinding binding = plan.objects().stream().filter(RoleBinding.class::isInstance).map(RoleBinding.class::cast)
                .filter(b -> b.getMetadata().getName().equals("windlass-ingressgateway")).findFirst().orElseThrow();
        new ObjectApplier(operator).apply(plan.objects().stream().filter(Namespace.class::isInstance).toList(), mcp);
        admin.resource(new RoleBuilder().withNewMetadata().withName("windlass-ingressgateway").withNamespace(ns)
                .withLabels(binding.getMetadata().getLabels()).endMetadata().withRules(new PolicyRuleBuilder().withApiGroups("")
                        .withResources("secrets").withVerbs("get", "list", "watch").build()).build()).create();
        admin.resource(new RoleBindingBuilder(binding).withNewRoleRef(RBAC, "Role", "windlass-ingressgateway").build()).create();
        assertThatThrownBy(() -> operator.resource(binding).fieldManager(ObjectApplier.FIELD_MANAGER).forceConflicts().serverSideApply())
                .as("a plain apply").isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
                .hasMessageContaining("roleRef");

        new ObjectApplier(operator).apply(List.of(binding), mcp);
        RoleBinding replaced = admin.rbac().roleBindings().inNamespace(ns).withName("windlass-ingressgateway").get();
        assertThat(replaced.getRoleRef().getKind()).isEqualTo("ClusterRole");
        assertThat(replaced.getRoleRef().getName()).isEqualTo(OperatorResources.GATEWAY_CREDENTIALS_ROLE);
        assertThat(replaced.getSubjects()).extracting(s -> s.getName()).containsExactly("windlass-ingressgateway");

        List<ObjectKey> pruned = new Pruner(operator).prune(plan.instance(), plan.keys());
        assertThat(pruned).extracting(ObjectKey::toString).containsExactly("Role " + ns + "/windlass-ingressgateway");
        assertThat(admin.rbac().roles().inNamespace(ns).withName("windlass-ingressgateway").get()).isNull();
    }

    private static MeshControlPlane mesh(String name, String profile) {
        MeshControlPlane mcp = Serialization.unmarshal("""
                apiVersion: mesh.windlass.dev/v1alpha1
                kind: MeshControlPlane
                metadata: {name: %s}
                spec: {version: "0.2.0", profile: %s, namespace: mesh-%s}
                """.formatted(name, profile, name), MeshControlPlane.class);
        mcp.getMetadata().setUid(UUID.randomUUID().toString());
        return mcp;
    }

    private static MeshPlan plan(MeshControlPlane mcp) {
        return new MeshPlanner(Optional.of("kind"), OPERATOR_USER).plan(mcp, true, List.of());
    }

    private static RoleBinding binding(String namespace, String name, String clusterRole) {
        return new RoleBindingBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewRoleRef(RBAC, "ClusterRole", clusterRole)
                .addNewSubject().withKind("ServiceAccount").withName("default").withNamespace(namespace).endSubject().build();
    }

    private static void assertForbidden(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }

    private static KubernetesClient as(String user) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(admin.getConfiguration())
                .withImpersonateUsername(user).withImpersonateGroups("system:authenticated").build()).build();
    }
}
