package dev.windlass.operator;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.contract.Labels;
import dev.windlass.operator.revisions.OperatorIdentity;
import dev.windlass.operator.install.ObjectKey;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.windlass.operator.conditions.MeshConditions.DEPENDENCIES_HEALTHY;
import static dev.windlass.operator.conditions.MeshConditions.READY;
import static dev.windlass.operator.conditions.MeshConditions.RECONCILED;
import static dev.windlass.operator.conditions.MeshConditions.UPGRADEABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Tier 2: the operator against a real kube-apiserver (see {@link OperatorHarness}). Each test uses its own
 * MeshControlPlane and mesh namespace.
 */
class MeshControlPlaneReconcilerApiServerTest {
    private static OperatorHarness harness;
    private static KubernetesClient client;
    private final List<String> created = new ArrayList<>();

    @BeforeAll
    static void startOperator() {
        harness = OperatorHarness.get();
        client = harness.client;
    }

    @AfterEach
    void uninstall() {
        created.forEach(harness::delete);
    }

    private MeshControlPlane install(String name, String namespace, String profile) {
        created.add(name);
        return harness.apply(mcp(name, namespace, profile, "0.2.0"));
    }

    private static String mcp(String name, String namespace, String profile, String version) {
        return """
                apiVersion: mesh.windlass.dev/v1alpha1
                kind: MeshControlPlane
                metadata:
                  name: %s
                spec:
                  version: "%s"
                  profile: %s
                  namespace: %s
                """.formatted(name, version, profile, namespace);
    }

    @Test
    void createAppliesEveryRenderedObjectWithOwnerAndLabels() {
        install("create", "mesh-create", "default");
        MeshControlPlane mcp = harness.awaitCondition("create", READY, "True", "Ready");

        List<HasMetadata> rendered = new MeshPlanner(Optional.of("kind"), OperatorIdentity.username(client)).plan(mcp, true, List.of()).objects();
        assertThat(rendered).hasSizeGreaterThan(15);
        for (HasMetadata object : rendered) {
            HasMetadata live = client.resource(object).get();
            assertThat(live).as(ObjectKey.of(object).toString()).isNotNull();
            if (live instanceof CustomResourceDefinition) {
                continue; // shared by every mesh: no instance label, no owner
            }
            assertThat(live.getMetadata().getLabels()).as(ObjectKey.of(object).toString())
                    .containsEntry(Labels.INSTANCE, "create")
                    .containsEntry(Labels.MANAGED_BY, "windlass-operator")
                    .containsEntry(Labels.REVISION, "default");
            assertThat(live.getMetadata().getOwnerReferences()).as(ObjectKey.of(object).toString())
                    .singleElement().satisfies(ref -> {
                        assertThat(ref.getUid()).isEqualTo(mcp.getMetadata().getUid());
                        assertThat(ref.getKind()).isEqualTo("MeshControlPlane");
                    });
            assertThat(live.getMetadata().getManagedFields()).extracting(f -> f.getManager()).contains("windlass-operator");
        }
        ConfigMap values = client.configMaps().inNamespace("mesh-create").withName("windlass-values").get();
        assertThat(values.getData().values()).anySatisfy(v -> assertThat(v).contains("profile: default"));
    }

    @Test
    void statusReportsConditionsComponentsAndEvents() {
        install("status", "mesh-status", "default");
        MeshControlPlane mcp = harness.awaitCondition("status", READY, "True", "Ready");

        var status = mcp.getStatus();
        assertThat(status.observedGeneration()).isEqualTo(mcp.getMetadata().getGeneration());
        assertThat(status.version()).isEqualTo("0.2.0");
        assertThat(status.profile()).isEqualTo("default");
        assertThat(status.activeRevision()).isEqualTo("default");
        assertThat(status.conditions()).extracting(c -> c.getType() + "=" + c.getStatus())
                .containsExactly(RECONCILED + "=True", READY + "=True", UPGRADEABLE + "=True", DEPENDENCIES_HEALTHY + "=True");
        assertThat(status.conditions()).allSatisfy(c -> {
            assertThat(c.getReason()).isNotBlank();
            assertThat(c.getMessage()).isNotBlank();
            assertThat(c.getLastTransitionTime()).isNotBlank();
        });
        assertThat(status.components()).extracting(c -> c.name() + ":" + c.ready() + ":" + c.version())
                .contains("windlass-discovery:true:0.2.0", "windlass-ingressgateway:true:0.2.0");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events("status"))
                .extracting(Event::getReason).contains("Ready", "Applied"));
    }

    @Test
    void readyWaitsForTheDiscoveryServerBeforeWebhooksAndGateways() {
        harness.standIn.holdBack("mesh-wait");
        try {
            install("wait", "mesh-wait", "default");
            MeshControlPlane mcp = harness.awaitCondition("wait", READY, "False", "DiscoveryNotAvailable");
            assertThat(harness.condition("wait", READY).orElseThrow().getMessage())
                    .contains("Deployment mesh-wait/windlass-discovery has 0/1 available replicas");
            assertThat(client.resources(MutatingWebhookConfiguration.class).withLabel(Labels.INSTANCE, "wait").list().getItems())
                    .as("no webhook may point at a discovery server that cannot answer").isEmpty();
            assertThat(client.apps().deployments().inNamespace("mesh-wait").withName("windlass-ingressgateway").get()).isNull();
            assertThat(mcp.getStatus().components()).filteredOn(c -> c.name().equals("windlass-discovery"))
                    .singleElement().satisfies(c -> assertThat(c.ready()).isFalse());
        } finally {
            harness.standIn.release("mesh-wait");
        }
        harness.awaitCondition("wait", READY, "True", "Ready");
        assertThat(client.resources(MutatingWebhookConfiguration.class).withLabel(Labels.INSTANCE, "wait").list().getItems()).hasSize(1);
    }

    @Test
    void driftIsRepairedAndUnmanagedFieldsAreKept() {
        install("drift", "mesh-drift", "minimal");
        harness.awaitCondition("drift", READY, "True", "Ready");
        var meshConfig = client.configMaps().inNamespace("mesh-drift").withName("windlass");
        Map<String, String> original = meshConfig.get().getData();

        meshConfig.edit(cm -> {
            cm.getData().replaceAll((k, v) -> "edited: by hand\n");
            cm.getMetadata().getAnnotations().put("example.com/owner", "team-a");
            return cm;
        });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(meshConfig.get().getData()).isEqualTo(original));
        assertThat(meshConfig.get().getMetadata().getAnnotations()).containsEntry("example.com/owner", "team-a");

        var service = client.services().inNamespace("mesh-drift").withName("windlass-discovery");
        String uid = service.get().getMetadata().getUid();
        service.delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Service recreated = service.get();
            return recreated != null && !recreated.getMetadata().getUid().equals(uid);
        });
    }

    @Test
    void switchingProfilesPrunesWhatIsNoLongerRendered() {
        install("switch", "mesh-switch", "demo");
        harness.awaitCondition("switch", READY, "True", "Ready");
        assertThat(deployments("switch")).contains("windlass-egressgateway", "windlass-ingressgateway", "prometheus", "grafana");

        harness.apply(mcp("switch", "mesh-switch", "default", "0.2.0"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deployments("switch"))
                .containsExactlyInAnyOrder("windlass-discovery", "windlass-ingressgateway"));
        Set<ObjectKey> wanted = new MeshPlanner(Optional.of("kind"), OperatorIdentity.username(client)).plan(harness.get("switch"), true, List.of()).keys();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(harness.managedObjects("switch"))
                .extracting(ObjectKey::of).allMatch(wanted::contains));
        assertThat(events("switch")).extracting(Event::getReason).contains("Pruned");

        harness.apply(mcp("switch", "mesh-switch", "minimal", "0.2.0"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deployments("switch")).containsExactly("windlass-discovery"));
        harness.apply(mcp("switch", "mesh-switch", "default", "0.2.0"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deployments("switch"))
                .containsExactlyInAnyOrder("windlass-discovery", "windlass-ingressgateway"));
        harness.awaitCondition("switch", READY, "True", "Ready");
    }

    @Test
    void aProfileSwitchInTheSameEditAsAnUpgradeIsPrunedOnlyOnceTheUpgradeIsDone() {
        created.add("combo");
        harness.apply(mcp("combo", "mesh-combo", "default", "0.1.0"));
        harness.awaitCondition("combo", READY, "True", "Ready");
        harness.standIn.holdBack("mesh-combo");
        try {
            harness.apply(mcp("combo", "mesh-combo", "minimal", "0.2.0"));
            harness.awaitCondition("combo", READY, "False", "DiscoveryNotAvailable");
            assertThat(deployments("combo")).as("the gateway keeps serving while the discovery server rolls")
                    .containsExactlyInAnyOrder("windlass-discovery", "windlass-ingressgateway");
            assertThat(harness.get("combo").getStatus().version()).isEqualTo("0.1.0");
        } finally {
            harness.standIn.release("mesh-combo");
        }
        harness.awaitCondition("combo", READY, "True", "Ready");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deployments("combo")).containsExactly("windlass-discovery"));
        assertThat(harness.get("combo").getStatus().version()).isEqualTo("0.2.0");
    }

    @Test
    void deletingTheMeshRemovesEverythingItCreatedIncludingClusterScopedObjects() {
        install("remove", "mesh-remove", "demo");
        harness.awaitCondition("remove", READY, "True", "Ready");
        List<HasMetadata> before = harness.managedObjects("remove");
        assertThat(before).extracting(HasMetadata::getKind)
                .contains("ClusterRole", "ClusterRoleBinding", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "Namespace");

        created.remove("remove");
        harness.delete("remove");

        assertThat(harness.managedObjects("remove")).as("objects left with the mesh's labels").isEmpty();
        assertThat(client.apiextensions().v1().customResourceDefinitions().withName("virtualservices.networking.istio.io").get())
                .as("the traffic-API CRDs stay unless purged").isNotNull();
    }

    @Test
    void aSemanticErrorIsReportedAndLeavesTheRunningMeshUntouched() {
        install("semantic", "mesh-semantic", "minimal");
        harness.awaitCondition("semantic", READY, "True", "Ready");
        Map<String, String> versionsBefore = resourceVersions("semantic");

        harness.apply(mcp("semantic", "mesh-semantic", "minimal", "9.9.9"));
        MeshControlPlane refused = harness.awaitCondition("semantic", RECONCILED, "False", "InvalidSpec");
        assertThat(harness.condition("semantic", RECONCILED).orElseThrow().getMessage())
                .contains("9.9.9 is not in the catalog").contains("0.2.0");
        assertThat(harness.condition("semantic", READY).orElseThrow().getStatus()).isEqualTo("True");
        assertThat(refused.getStatus().observedGeneration()).isEqualTo(refused.getMetadata().getGeneration());
        assertThat(refused.getStatus().version()).isEqualTo("0.2.0");
        assertThat(resourceVersions("semantic")).isEqualTo(versionsBefore);

        harness.apply(mcp("semantic", "mesh-semantic", "no-such-profile", "0.2.0"));
        harness.awaitCondition("semantic", RECONCILED, "False", "InvalidSpec");
        assertThat(harness.condition("semantic", RECONCILED).orElseThrow().getMessage()).contains("no-such-profile");
        assertThat(resourceVersions("semantic")).isEqualTo(versionsBefore);
    }

    @Test
    void anUpgradeOutsideTheSkewRulesIsRefusedAndChangesNothing() {
        created.add("skew");
        harness.apply(mcp("skew", "mesh-skew", "minimal", "0.1.0"));
        harness.awaitCondition("skew", READY, "True", "Ready");
        assertThat(harness.condition("skew", UPGRADEABLE).orElseThrow().getMessage()).contains("0.2.0");

        harness.apply(mcp("skew", "mesh-skew", "minimal", "0.2.0"));
        await().atMost(Duration.ofSeconds(30)).until(() -> "0.2.0".equals(harness.get("skew").getStatus().version()));
        harness.awaitCondition("skew", READY, "True", "Ready");
        Map<String, String> versionsBefore = resourceVersions("skew");

        harness.apply(mcp("skew", "mesh-skew", "minimal", "0.1.0"));
        harness.awaitCondition("skew", UPGRADEABLE, "False", "UpgradeNotAllowed");
        assertThat(harness.condition("skew", UPGRADEABLE).orElseThrow().getMessage())
                .contains("0.2.0 → 0.1.0 is not allowed: a downgrade may only go to the previous patch of 0.2")
                .contains("Allowed next versions from 0.2.0 with InPlace: none in this catalog");
        assertThat(harness.condition("skew", RECONCILED).orElseThrow().getReason()).isEqualTo("UpgradeNotAllowed");
        assertThat(harness.get("skew").getStatus().version()).isEqualTo("0.2.0");
        assertThat(resourceVersions("skew")).isEqualTo(versionsBefore);
    }

    @Test
    void aSecondMeshInTheSameNamespaceIsRefused() {
        install("first", "mesh-shared", "minimal");
        harness.awaitCondition("first", READY, "True", "Ready");
        install("second", "mesh-shared", "minimal");
        harness.awaitCondition("second", RECONCILED, "False", "NamespaceConflict");
        assertThat(harness.condition("second", RECONCILED).orElseThrow().getMessage()).contains("MeshControlPlane first");
        assertThat(harness.managedObjects("second")).isEmpty();
        assertThat(harness.condition("first", READY).orElseThrow().getStatus()).isEqualTo("True");
    }

    @Test
    void invalidSpecsAreRejectedAtAdmission() {
        install("admission", "mesh-admission", "minimal");
        harness.awaitCondition("admission", READY, "True", "Ready");
        assertThatThrownBy(() -> harness.apply(mcp("admission", "mesh-elsewhere", "minimal", "0.2.0")))
                .isInstanceOf(KubernetesClientException.class).hasMessageContaining("namespace is immutable");
        assertThatThrownBy(() -> applyRaw("""
                apiVersion: mesh.windlass.dev/v1alpha1
                kind: MeshControlPlane
                metadata:
                  name: admission-bad
                spec:
                  version: "0.2.0"
                  updateStrategy:
                    type: Sideways
                """)).isInstanceOf(KubernetesClientException.class).hasMessageContaining("spec.updateStrategy.type");
    }

    /** Bypasses the typed model, which would refuse the bad enum before the apiserver sees it. */
    private static void applyRaw(String yaml) {
        client.resource(Serialization.unmarshal(yaml, GenericKubernetesResource.class)).serverSideApply();
    }

    private List<String> deployments(String instance) {
        return client.apps().deployments().inAnyNamespace().withLabel(Labels.INSTANCE, instance).list().getItems().stream()
                .filter(d -> d.getMetadata().getDeletionTimestamp() == null).map(Deployment::getMetadata).map(m -> m.getName()).toList();
    }

    private Map<String, String> resourceVersions(String instance) {
        return harness.managedObjects(instance).stream()
                .collect(Collectors.toMap(o -> ObjectKey.of(o).toString(), o -> o.getMetadata().getResourceVersion()));
    }

    private List<Event> events(String instance) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> instance.equals(e.getInvolvedObject().getName())).toList();
    }
}
