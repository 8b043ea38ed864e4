package dev.windlass.e2e.olm;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.e2e.cluster.ClusterProvider;
import dev.windlass.e2e.cluster.MeshImages;
import dev.windlass.e2e.cluster.TestCluster;
import dev.windlass.olm.BundleLayout;
import dev.windlass.profiles.render.OperatorResources;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.StrategyDeploymentPermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tier 3: the operator runs with exactly the permissions of the generated CSV, installed as OLM would install it
 * ({@link CsvInstall}: its ClusterRole, Role, ServiceAccount and Deployment from the bundle the build wrote, and
 * the bundle's ClusterRoles that it may only bind), reads no Secret, and takes a mesh through its lifecycle:
 * {@code default} to Ready, a switch to {@code demo}, deletion with nothing left. Then the same with one rule of the CSV taken away: the mesh is refused with an error condition, and gets
 * Ready once the rule is back, so the test notices a missing permission.
 *
 * <p>The demo profile runs without its add-ons: their upstream images cannot be pulled on machines without
 * registry access (as in MeshLifecycleE2ETest).
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OlmPermissionsE2ETest {
    private static final Logger LOG = LoggerFactory.getLogger(OlmPermissionsE2ETest.class);
    /** The operator's namespace, as the OperatorGroup's for AllNamespaces. */
    private static final String OPERATOR_NAMESPACE = "windlass-olm-operators";
    private static final String NAME = "olm-mesh";
    private static final String MESH_NAMESPACE = "windlass-olm";
    private static final Duration READY = Duration.ofMinutes(4);
    private static KubernetesClient client;
    private static CsvInstall olm;

    @BeforeAll
    static void installTheBundleAsOlmWould() {
        TestCluster cluster = ClusterProvider.get();
        MeshImages.load(cluster);
        client = cluster.client();
        // An operator that an earlier test installed with `windlass install` (and full RBAC) would reconcile our
        // mesh too; wait until the last one is gone.
        await().atMost(Duration.ofMinutes(2)).until(() -> client.pods().inAnyNamespace()
                .withLabel("app.kubernetes.io/name", OperatorResources.NAME).list().getItems().isEmpty());
        Path bundle = ClusterProvider.repositoryRoot().resolve("olm-bundle");
        olm = new CsvInstall(client, BundleLayout.built(bundle, OperatorResources.version()), OPERATOR_NAMESPACE);
        olm.install();
    }

    @AfterAll
    static void uninstall() {
        if (olm != null) {
            deleteMesh();
            olm.uninstall();
        }
    }

    @Test
    @Order(1)
    void theOperatorStartsWithTheCsvsPermissions() {
        String deployment = olm.csv().getSpec().getInstall().getSpec().getDeployments().getFirst().getName();
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(client.apps().deployments()
                .inNamespace(OPERATOR_NAMESPACE).withName(deployment).get().getStatus().getAvailableReplicas()).isEqualTo(1));
    }

    @Test
    @Order(2)
    void aDefaultMeshGetsReady() {
        apply("default");
        awaitReady();
        assertThat(client.apps().deployments().inNamespace(MESH_NAMESPACE).withName("windlass-ingressgateway").get()).isNotNull();
        // the gateway's Secret access is the bundle's ClusterRole, bound by an operator that cannot read a Secret
        assertThat(client.rbac().roleBindings().inNamespace(MESH_NAMESPACE).withName("windlass-ingressgateway").get()
                .getRoleRef().getName()).isEqualTo(OperatorResources.GATEWAY_CREDENTIALS_ROLE);
        assertThat(operatorMay("get", "secrets")).as("the operator gets a Secret").isFalse();
        assertThat(operatorMay("list", "secrets")).as("the operator lists Secrets").isFalse();
    }

    /** The API server's own answer (SubjectAccessReview) for the CSV's service account, in the mesh namespace. */
    private static boolean operatorMay(String verb, String resource) {
        String account = olm.csv().getSpec().getInstall().getSpec().getClusterPermissions().getFirst().getServiceAccountName();
        SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec()
                .withUser("system:serviceaccount:" + OPERATOR_NAMESPACE + ":" + account)
                .withGroups("system:serviceaccounts", "system:serviceaccounts:" + OPERATOR_NAMESPACE, "system:authenticated")
                .withNewResourceAttributes().withNamespace(MESH_NAMESPACE).withVerb(verb).withResource(resource).endResourceAttributes()
                .endSpec().build();
        return client.authorization().v1().subjectAccessReview().create(review).getStatus().getAllowed();
    }

    @Test
    @Order(3)
    void switchingToDemoAddsTheEgressGatewayAndGetsReady() {
        apply("demo");
        await().atMost(READY).untilAsserted(() -> assertThat(client.apps().deployments().inNamespace(MESH_NAMESPACE)
                .withName("windlass-egressgateway").get()).isNotNull());
        awaitReady();
        assertThat(mesh().getStatus().profile()).isEqualTo("demo");
    }

    @Test
    @Order(4)
    void deletingTheMeshLeavesNothingWithItsLabels() {
        assertThat(labelled()).isNotEmpty();
        deleteMesh();
        assertThat(labelled()).isEmpty();
    }

    /** A rule the mesh's own ClusterRole needs, taken from the operator: Kubernetes refuses to let it grant it. */
    @Test
    @Order(5)
    void withoutOneOfTheCsvsRulesTheMeshIsRefusedUntilTheRuleIsBack() {
        StrategyDeploymentPermissions permissions = olm.csv().getSpec().getInstall().getSpec().getClusterPermissions().getFirst();
        List<PolicyRule> fewer = new ArrayList<>(permissions.getRules());
        PolicyRule dropped = fewer.stream().filter(r -> r.getApiGroups().contains("networking.istio.io") && r.getVerbs().contains("list"))
                .findFirst().orElseThrow();
        fewer.remove(dropped);
        olm.clusterRules(permissions, fewer);
        LOG.info("ClusterRole without {} {}", dropped.getApiGroups(), dropped.getResources());
        apply("default");
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            Optional<Condition> reconciled = condition("Reconciled");
            assertThat(reconciled).hasValueSatisfying(c -> {
                assertThat(c.getStatus()).isEqualTo("False");
                assertThat(c.getReason()).isEqualTo("ApplyFailed");
                assertThat(c.getMessage()).contains("forbidden");
            });
        });
        assertThat(condition("Ready").map(Condition::getStatus)).as("Ready").isNotEqualTo(Optional.of("True"));
        LOG.info("without the rule: {}", condition("Reconciled").orElseThrow().getMessage());

        olm.clusterRules(permissions, permissions.getRules());
        awaitReady();
        deleteMesh();
        assertThat(labelled()).isEmpty();
    }

    private static void apply(String profile) {
        MeshControlPlane mesh = Serialization.unmarshal("""
                apiVersion: %s
                kind: MeshControlPlane
                metadata:
                  name: %s
                  annotations: {%s: "true"}
                spec:
                  version: "%s"
                  profile: %s
                  namespace: %s
                  addons:
                    prometheus: {enabled: false}
                    grafana: {enabled: false}
                    tracing: {enabled: false}
                    kiali: {enabled: false}
                """.formatted(MeshControlPlane.GROUP + "/" + MeshControlPlane.VERSION, NAME, MeshControlPlane.PURGE_ANNOTATION,
                OperatorResources.version(), profile, MESH_NAMESPACE), MeshControlPlane.class);
        client.resource(mesh).fieldManager("olm-e2e").forceConflicts().serverSideApply();
    }

    private static void awaitReady() {
        long start = System.nanoTime();
        await().atMost(READY).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(condition("Ready"))
                .hasValueSatisfying(c -> assertThat(c.getStatus()).as(c.getReason() + ": " + c.getMessage()).isEqualTo("True")));
        LOG.info("{} is Ready after {} s", NAME, Duration.ofNanos(System.nanoTime() - start).toSeconds());
    }

    private static MeshControlPlane mesh() {
        return client.resources(MeshControlPlane.class).withName(NAME).get();
    }

    private static Optional<Condition> condition(String type) {
        MeshControlPlane mesh = mesh();
        if (mesh == null || mesh.getStatus() == null || mesh.getStatus().conditions() == null) {
            return Optional.empty();
        }
        return mesh.getStatus().conditions().stream().filter(c -> c.getType().equals(type)).findFirst();
    }

    /** Deletes the mesh (with the purge annotation, so the traffic-API CRDs it created go too) and waits until its objects are gone. */
    private static void deleteMesh() {
        client.resources(MeshControlPlane.class).withName(NAME).delete();
        await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
            assertThat(mesh()).isNull();
            assertThat(labelled()).isEmpty();
        });
    }

    private static List<HasMetadata> labelled() {
        return MeshImages.labelled(client, NAME);
    }
}
