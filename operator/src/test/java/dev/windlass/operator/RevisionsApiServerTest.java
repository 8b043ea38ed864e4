package dev.windlass.operator;

import dev.windlass.api.v1alpha1.MeshRevision;
import dev.windlass.api.v1alpha1.MeshRevisionTag;
import dev.windlass.contract.Labels;
import dev.windlass.contract.ProxyImage;
import dev.windlass.injector.InjectionNames;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

import static dev.windlass.operator.conditions.MeshConditions.READY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tier 2: a revision-based mesh on a real kube-apiserver. Upgrading creates a second revision beside the first;
 * a tag follows the mesh's active revision; the older revision goes once no pod uses it and its grace period is
 * over. A bare apiserver runs no discovery server, so the test writes the caBundle that the revision's discovery
 * server would write, and creates the "injected" pod itself (it stays Pending: there is no scheduler).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RevisionsApiServerTest {
    private static final String MESH = "revs";
    private static final String NS = "mesh-revs";
    private static final String APPS = "apps-revs";
    private static OperatorHarness harness;
    private static KubernetesClient client;

    @BeforeAll
    static void startOperator() {
        harness = OperatorHarness.get();
        client = harness.client;
        client.resource(new NamespaceBuilder().withNewMetadata().withName(APPS).endMetadata().build()).serverSideApply();
    }

    @AfterAll
    static void cleanUp() {
        client.resources(MeshRevisionTag.class).withName("prod").delete();
        client.resources(MeshRevisionTag.class).withName("prod.eu").delete();
        client.rbac().clusterRoleBindings().withName("alice-meshrevisions").delete();
        client.rbac().clusterRoles().withName("alice-meshrevisions").delete();
        if (harness.get(MESH) != null) {
            harness.delete(MESH);
        }
    }

    private static void applyMesh(String version) {
        harness.apply("""
                apiVersion: mesh.windlass.dev/v1alpha1
                kind: MeshControlPlane
                metadata: {name: %s}
                spec:
                  version: "%s"
                  profile: minimal
                  namespace: %s
                  updateStrategy: {type: RevisionBased, inactiveRevisionDeletionGracePeriodSeconds: 3}
                """.formatted(MESH, version, NS));
    }

    @Test
    @Order(1)
    void aRevisionBasedMeshRunsItsRevisionAndShowsItAsAMeshRevision() {
        applyMesh("0.1.0");
        harness.awaitCondition(MESH, READY, "True", "Ready");
        assertThat(harness.get(MESH).getStatus().activeRevision()).isEqualTo("revs-0-1-0");
        assertThat(deployment("windlass-discovery-revs-0-1-0")).isNotNull();
        await().atMost(Duration.ofSeconds(30)).until(() -> revisionCondition("revs-0-1-0", "Ready", "True"));
        assertThat(revisionCondition("revs-0-1-0", "InUse", "False")).isTrue();
        writeCaBundle("revs-0-1-0");
    }

    @Test
    @Order(2)
    void usersCannotWriteTheMeshsRevisionsOnlyTheOperatorCan() {
        grantAliceEverythingOnMeshRevisions();
        try (KubernetesClient alice = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
                .withImpersonateUsername("alice").withImpersonateGroups("system:authenticated").build()).build()) {
            var revision = alice.resources(MeshRevision.class).withName("revs-0-1-0");
            Runnable edit = () -> revision.edit(r -> {
                r.getMetadata().setAnnotations(Map.of("edited-by", "alice"));
                return r;
            });
            // The apiserver loads a new policy within a second or so: wait until it bites.
            String refused = await().atMost(Duration.ofSeconds(30)).until(() -> refusal(edit), Objects::nonNull);
            assertThat(refused).contains("MeshRevisions of the mesh revs are managed by the Windlass operator and read-only");
            assertThat(refusal(revision::delete)).contains("read-only");
            MeshRevision forged = Serialization.unmarshal("""
                    apiVersion: mesh.windlass.dev/v1alpha1
                    kind: MeshRevision
                    metadata: {name: revs-9-9-9, labels: {app.kubernetes.io/instance: revs}}
                    spec: {controlPlane: revs, version: 9.9.9, namespace: mesh-revs}
                    """, MeshRevision.class);
            assertThat(refusal(() -> alice.resource(forged).create())).contains("read-only");
        }
        assertThat(client.resources(MeshRevision.class).withName("revs-0-1-0").get()).as("the delete was refused").isNotNull();
        assertThat(client.resources(MeshRevision.class).withName("revs-9-9-9").get()).isNull();
    }

    @Test
    @Order(3)
    void aTagOnTheMeshPointsItsWebhookAtTheActiveRevision() {
        applyTagOnTheMesh("prod");
        await().atMost(Duration.ofSeconds(30)).until(() -> tagService().equals("windlass-discovery-revs-0-1-0"));
        MutatingWebhookConfiguration webhook = tagWebhook();
        assertThat(webhook.getWebhooks()).allSatisfy(w -> {
            assertThat(w.getClientConfig().getService().getPath()).isEqualTo("/inject/tag/prod");
            assertThat(w.getClientConfig().getCaBundle()).isEqualTo(CA);
        });
        // The status is written after the webhook: await it rather than read it once.
        await().atMost(Duration.ofSeconds(30)).until(() -> client.resources(MeshRevisionTag.class).withName("prod").get(),
                tag -> tag.getStatus() != null && "revs-0-1-0".equals(tag.getStatus().revision()));
    }

    @Test
    @Order(4)
    void upgradingRunsBothRevisionsAndTheTagFollowsOnceTheNewOneIsReady() {
        client.resource(injectedPod("revs-0-1-0")).serverSideApply();
        applyMesh("0.2.0");
        await().atMost(Duration.ofSeconds(60)).until(() -> "revs-0-2-0".equals(harness.get(MESH).getStatus().activeRevision()));
        harness.awaitCondition(MESH, READY, "True", "Ready");
        assertThat(deployment("windlass-discovery-revs-0-1-0")).as("the older revision keeps running").isNotNull();
        assertThat(deployment("windlass-discovery-revs-0-2-0")).isNotNull();
        assertThat(client.resources(MeshRevision.class).withLabel("app.kubernetes.io/instance", MESH).list().getItems())
                .extracting(r -> r.getMetadata().getName()).containsExactlyInAnyOrder("revs-0-1-0", "revs-0-2-0");
        await().atMost(Duration.ofSeconds(30)).until(() -> revisionCondition("revs-0-1-0", "InUse", "True"));
        await().atMost(Duration.ofSeconds(30)).until(() -> harness.get(MESH).getStatus().revisions().total() == 2
                && harness.get(MESH).getStatus().revisions().inUse() == 1);
        assertThat(harness.get(MESH).getStatus().dataPlane()).singleElement()
                .satisfies(c -> assertThat(c.version()).isEqualTo("0.1.0")).satisfies(c -> assertThat(c.proxies()).isEqualTo(1));

        writeCaBundle("revs-0-2-0");
        await().atMost(Duration.ofSeconds(30)).until(() -> tagService().equals("windlass-discovery-revs-0-2-0"));
    }

    @Test
    @Order(5)
    void theOlderRevisionIsDeletedOnceNoPodUsesItAndTheGracePeriodIsOver() throws Exception {
        Thread.sleep(4000); // longer than the grace period: the revision is still in use, so it stays
        assertThat(client.resources(MeshRevision.class).withName("revs-0-1-0").get()).isNotNull();
        client.pods().inNamespace(APPS).withName("old-proxy").withGracePeriod(0).delete();
        await().atMost(Duration.ofSeconds(60)).until(() -> client.resources(MeshRevision.class).withName("revs-0-1-0").get() == null
                && deployment("windlass-discovery-revs-0-1-0") == null);
        assertThat(deployment("windlass-discovery-revs-0-2-0")).isNotNull();
        harness.awaitCondition(MESH, READY, "True", "Ready");
        // Ready was already True before the deletion: the count comes with the next status write, not with Ready.
        await().atMost(Duration.ofSeconds(30)).until(() -> harness.get(MESH).getStatus().revisions().total() == 1);
    }

    @Test
    @Order(6)
    void uninstallingTheMeshRemovesTheTagWebhookAndKeepsTheTag() {
        harness.delete(MESH);
        await().atMost(Duration.ofSeconds(30)).until(() -> client.admissionRegistration().v1().mutatingWebhookConfigurations()
                .withName("windlass-revision-tag-prod").get() == null);
        assertThat(client.resources(MeshRevisionTag.class).withName("prod").get()).isNotNull();
        assertThat(client.resources(MeshRevision.class).withLabel("app.kubernetes.io/instance", MESH).list().getItems()).isEmpty();
        assertThat(client.admissionRegistration().v1().validatingAdmissionPolicies().withName("windlass-meshrevisions-" + MESH).get())
                .as("the revisions' write protection goes with the mesh").isNull();
    }

    @Test
    @Order(7)
    void aTagNameThatIsNotADnsLabelIsRefusedWithoutAWebhook() {
        applyTagOnTheMesh("prod.eu");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            MeshRevisionTag tag = client.resources(MeshRevisionTag.class).withName("prod.eu").get();
            return tag.getStatus() != null && tag.getStatus().conditions().stream()
                    .anyMatch(c -> "InvalidName".equals(c.getReason()) && c.getMessage().startsWith("metadata.name:"));
        });
        assertThat(client.admissionRegistration().v1().mutatingWebhookConfigurations().withName("windlass-revision-tag-prod.eu").get()).isNull();
    }

    private static void applyTagOnTheMesh(String name) {
        client.resource(Serialization.unmarshal("""
                apiVersion: mesh.windlass.dev/v1alpha1
                kind: MeshRevisionTag
                metadata: {name: %s}
                spec: {targetRef: {kind: MeshControlPlane, name: %s}}
                """.formatted(name, MESH), MeshRevisionTag.class)).serverSideApply();
    }

    /** RBAC alone would let alice write MeshRevisions: only the admission policy stands in her way. */
    private static void grantAliceEverythingOnMeshRevisions() {
        client.resource(new ClusterRoleBuilder().withNewMetadata().withName("alice-meshrevisions").endMetadata()
                .addNewRule().withApiGroups("mesh.windlass.dev").withResources("meshrevisions").withVerbs("*").endRule().build())
                .serverSideApply();
        client.resource(new ClusterRoleBindingBuilder().withNewMetadata().withName("alice-meshrevisions").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "alice-meshrevisions")
                .addNewSubject().withKind("User").withName("alice").withApiGroup("rbac.authorization.k8s.io").endSubject().build())
                .serverSideApply();
    }

    /** The apiserver's refusal of a write, or null when it went through. */
    private static String refusal(Runnable write) {
        try {
            write.run();
            return null;
        } catch (KubernetesClientException e) {
            assertThat(e.getCode()).isEqualTo(403);
            return e.getMessage();
        }
    }

    private static final String CA = Base64.getEncoder().encodeToString("-----BEGIN CERTIFICATE-----test".getBytes());

    /** What the revision's discovery server does at start (CaBundleWriter): the CA into its webhook configuration. */
    private static void writeCaBundle(String revision) {
        String name = "windlass-sidecar-injector-" + revision + "-" + NS;
        await().atMost(Duration.ofSeconds(30)).until(() -> client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name).get() != null);
        client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name).edit(m -> {
            m.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(CA));
            return m;
        });
    }

    private static Pod injectedPod(String revision) {
        return new PodBuilder().withNewMetadata().withName("old-proxy").withNamespace(APPS)
                // inject=false keeps the revision's webhook (no server behind it here) out of this pod's creation
                .withLabels(Map.of(Labels.REVISION, revision, Labels.INJECT, "false"))
                .withAnnotations(Map.of(InjectionNames.STATUS_ANNOTATION, "{}")).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("app:1").endContainer()
                .addNewContainer().withName(ProxyImage.PROXY_CONTAINER).withImage("windlass/proxy:0.1.0").endContainer().endSpec()
                .build();
    }

    private static Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(NS).withName(name).get();
    }

    private static MutatingWebhookConfiguration tagWebhook() {
        return client.admissionRegistration().v1().mutatingWebhookConfigurations().withName("windlass-revision-tag-prod").get();
    }

    private static String tagService() {
        MutatingWebhookConfiguration webhook = tagWebhook();
        return webhook == null ? "" : webhook.getWebhooks().getFirst().getClientConfig().getService().getName();
    }

    private static boolean revisionCondition(String revision, String type, String status) {
        MeshRevision r = client.resources(MeshRevision.class).withName(revision).get();
        return r != null && r.getStatus() != null && r.getStatus().conditions() != null
                && r.getStatus().conditions().stream().anyMatch(c -> type.equals(c.getType()) && status.equals(c.getStatus()));
    }
}
