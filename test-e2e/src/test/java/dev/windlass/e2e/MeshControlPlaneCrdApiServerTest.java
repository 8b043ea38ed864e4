package dev.windlass.e2e;

import dev.windlass.testsupport.ApiServer;
import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.api.v1alpha1.Unsupported;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tier 2: the generated MeshControlPlane CRD on a real apiserver, CEL rules included. */
class MeshControlPlaneCrdApiServerTest {
    private static final ResourceDefinitionContext MCP = new ResourceDefinitionContext.Builder()
            .withGroup(MeshControlPlane.GROUP).withVersion(MeshControlPlane.VERSION).withKind("MeshControlPlane")
            .withPlural("meshcontrolplanes").withNamespaced(false).build();
    private static KubernetesClient client;

    @BeforeAll
    static void installCrd() throws Exception {
        client = ApiServer.client();
        ApiServer.installMeshCrd();
    }

    @AfterEach
    void deleteAll() {
        client.genericKubernetesResources(MCP).delete();
    }

    @Test
    void aValidMeshIsAcceptedAndDefaulted() {
        GenericKubernetesResource created = create("good", "spec: {version: 0.2.0}");
        assertThat(created.get("spec", "profile").toString()).isEqualTo("default");
        assertThat(created.get("spec", "namespace").toString()).isEqualTo("windlass-system");
    }

    @Test
    void aNegativeReplicaCountIsRejectedNamingTheField() {
        assertRejected("spec: {version: 0.2.0, components: {discovery: {k8s: {replicas: -1}}}}",
                "spec.components.discovery.k8s.replicas", "should be greater than or equal to 0");
    }

    @Test
    void hpaMinAboveMaxIsRejectedByTheCelRule() {
        assertRejected("spec: {version: 0.2.0, components: {discovery: {k8s: {hpa: {minReplicas: 5, maxReplicas: 2}}}}}",
                "hpa.minReplicas must not be greater than hpa.maxReplicas");
    }

    @Test
    void duplicateGatewayNamesAreRejected() {
        assertRejected("spec: {version: 0.2.0, components: {ingressGateways: [{name: gw}, {name: gw}]}}",
                "ingress gateway names must be unique");
    }

    @Test
    void aGatewayNameMustBeADnsLabel() {
        assertRejected("spec: {version: 0.2.0, components: {egressGateways: [{name: Bad_Name}]}}",
                "spec.components.egressGateways[0].name", "should match");
    }

    @Test
    void onlyKnownUpdateStrategiesAreAccepted() {
        assertRejected("spec: {version: 0.2.0, updateStrategy: {type: BlueGreen}}",
                "spec.updateStrategy.type", "supported values: \"InPlace\", \"RevisionBased\"");
    }

    @Test
    void theVersionIsRequired() {
        assertRejected("spec: {profile: demo}", "spec.version", "Required value");
    }

    @Test
    void theNamespaceCannotChange() {
        create("moving", "spec: {version: 0.2.0, namespace: mesh-a}");
        GenericKubernetesResource current = client.genericKubernetesResources(MCP).withName("moving").get();
        ((Map<String, Object>) current.getAdditionalProperties().get("spec")).put("namespace", "mesh-b");
        assertThatThrownBy(() -> client.genericKubernetesResources(MCP).resource(current).update())
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("spec.namespace is immutable");
    }

    /** The CEL rules of {@link Unsupported}, with the message the CLI gives offline; the value that changes nothing passes. */
    @Test
    void aTracingSamplingRateIsRefusedAndZeroIsAccepted() {
        assertRejected("spec: {version: 0.2.0, meshConfig: {tracing: {sampling: 100}}}", "spec.meshConfig.tracing.sampling",
                Unsupported.TRACING_SAMPLING);
        assertRejected("spec: {version: 0.2.0, meshConfig: {tracing: {sampling: 0.5}}}", Unsupported.TRACING_SAMPLING);
        assertThat(create("no-tracing", "spec: {version: 0.2.0, meshConfig: {tracing: {sampling: 0}}}")).isNotNull();
    }

    @Test
    void experimentalFlagsAreRefused() {
        assertRejected("spec: {version: 0.2.0, values: {experimental: {deltaXds: {on: true}}}}", "spec.values", Unsupported.EXPERIMENTAL);
    }

    @Test
    void discoveryServiceSettingsAreRefused() {
        assertRejected("spec: {version: 0.2.0, components: {discovery: {k8s: {service: {type: LoadBalancer}}}}}",
                "spec.components.discovery.k8s", Unsupported.DISCOVERY_SERVICE);
    }

    private static GenericKubernetesResource create(String name, String specYaml) {
        GenericKubernetesResource mcp = Serialization.unmarshal("""
                apiVersion: mesh.windlass.dev/v1alpha1
                kind: MeshControlPlane
                metadata: {name: %s}
                %s
                """.formatted(name, specYaml), GenericKubernetesResource.class);
        return client.genericKubernetesResources(MCP).resource(mcp).create();
    }

    private static void assertRejected(String specYaml, String... messageParts) {
        assertThatThrownBy(() -> create("bad", specYaml))
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
                .message().contains(messageParts);
    }
}
