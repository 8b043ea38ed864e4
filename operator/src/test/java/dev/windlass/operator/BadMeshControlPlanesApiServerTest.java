package dev.windlass.operator;

import dev.windlass.operator.install.ObjectKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.windlass.operator.conditions.MeshConditions.READY;
import static dev.windlass.operator.conditions.MeshConditions.RECONCILED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Tier 2: bad MeshControlPlanes against a running mesh. Each one is refused at admission (the CRD's schema and
 * rules) or, when only the API server's checks of the rendered objects catch it, left Reconciled=False by the
 * operator's dry run; either way the message names the field, and no object of the running mesh is written.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadMeshControlPlanesApiServerTest {
    private static final String MESH = "table";
    private static final String NAMESPACE = "mesh-table";
    private static OperatorHarness harness;
    private static KubernetesClient client;
    private static Map<String, String> versionsBefore;

    /** Where a bad spec is caught: by the apiserver's admission, or by the operator's dry run of what it renders. */
    enum Caught { ADMISSION, OPERATOR }

    record Case(String name, Caught caught, String spec, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                admission("replicas beyond int32", "components: {discovery: {k8s: {replicas: 2147483648}}}",
                        "spec.components.discovery.k8s.replicas"),
                admission("negative replicas", "components: {discovery: {k8s: {replicas: -1}}}", "spec.components.discovery.k8s.replicas"),
                admission("cpu that is no quantity", "components: {discovery: {k8s: {resources: {requests: {cpu: lots}}}}}",
                        "spec.components.discovery.k8s.resources.requests.cpu"),
                admission("memory with a space", "components: {discovery: {k8s: {resources: {limits: {memory: 1 Gi}}}}}",
                        "spec.components.discovery.k8s.resources.limits.memory"),
                admission("version that is not semver", "version: latest", "spec.version"),
                admission("profile with capitals", "profile: Demo", "spec.profile"),
                admission("unknown update strategy", "updateStrategy: {type: Sideways}", "spec.updateStrategy.type"),
                admission("negative grace period", "updateStrategy: {inactiveRevisionDeletionGracePeriodSeconds: -5}",
                        "spec.updateStrategy.inactiveRevisionDeletionGracePeriodSeconds"),
                admission("hpa min above max", "components: {discovery: {k8s: {hpa: {minReplicas: 5, maxReplicas: 2}}}}",
                        "hpa.minReplicas must not be greater than hpa.maxReplicas"),
                admission("hpa cpu target above 100", "components: {discovery: {k8s: {hpa: {targetCPUUtilizationPercentage: 150}}}}",
                        "spec.components.discovery.k8s.hpa.targetCPUUtilizationPercentage"),
                admission("negative pdb minAvailable", "components: {discovery: {k8s: {pdb: {minAvailable: -1}}}}",
                        "spec.components.discovery.k8s.pdb.minAvailable"),
                admission("duplicate gateway names", "components: {ingressGateways: [{name: gw}, {name: gw}]}",
                        "ingress gateway names must be unique"),
                admission("gateway name that is no DNS label", "components: {ingressGateways: [{name: Bad_Gateway}]}",
                        "spec.components.ingressGateways[0].name"),
                admission("gateway without a name", "components: {ingressGateways: [{enabled: true}]}",
                        "spec.components.ingressGateways[0].name"),
                admission("more than 16 gateways", "components: {egressGateways: [" + Stream.iterate(0, i -> i + 1).limit(17)
                        .map(i -> "{name: g" + i + "}").collect(Collectors.joining(", ")) + "]}", "spec.components.egressGateways"),
                admission("service port above 65535",
                        "components: {ingressGateways: [{name: gw, k8s: {service: {ports: [{name: http, port: 70000}]}}}]}",
                        "spec.components.ingressGateways[0].k8s.service.ports[0].port"),
                admission("unknown service type", "components: {ingressGateways: [{name: gw, k8s: {service: {type: Magic}}}]}",
                        "spec.components.ingressGateways[0].k8s.service.type"),
                admission("unknown outbound policy", "meshConfig: {outboundTrafficPolicy: {mode: OPEN}}",
                        "spec.meshConfig.outboundTrafficPolicy.mode"),
                admission("unknown access log encoding", "meshConfig: {accessLogEncoding: XML}", "spec.meshConfig.accessLogEncoding"),
                admission("proxy concurrency beyond int32", "meshConfig: {defaultConfig: {concurrency: 3000000000}}",
                        "spec.meshConfig.defaultConfig.concurrency"),
                admission("unknown image pull policy", "values: {global: {imagePullPolicy: Sometimes}}", "spec.values.global.imagePullPolicy"),
                admission("unknown log level", "values: {global: {logLevel: verbose}}", "spec.values.global.logLevel"),
                admission("cluster domain with an underscore", "values: {global: {clusterDomain: my_cluster}}",
                        "spec.values.global.clusterDomain"),
                admission("debounce of zero", "values: {discovery: {debounceQuietMillis: 0}}", "spec.values.discovery.debounceQuietMillis"),
                admission("namespace moved", "namespace: mesh-elsewhere", "spec.namespace is immutable"),
                operator("profile not in the catalog", "profile: no-such-profile", "no-such-profile"),
                operator("version not in the catalog", "version: 9.9.9", "9.9.9 is not in the catalog"),
                operator("node selector key with a space", "components: {discovery: {k8s: {nodeSelector: {\"bad key\": x}}}}",
                        "spec.template.spec.nodeSelector"),
                operator("pod label value with a space", "components: {discovery: {k8s: {podLabels: {team: \"a b\"}}}}",
                        "spec.template.labels: Invalid value: \"a b\""),
                operator("pod annotation key with a space", "components: {discovery: {k8s: {podAnnotations: {\"bad key\": x}}}}",
                        "spec.template.annotations: Invalid value: \"bad key\""),
                operator("env var name with =", "components: {discovery: {k8s: {env: [{name: \"A=B\", value: x}]}}}",
                        "].name: Invalid value: \"A=B\""),
                operator("toleration with an unknown operator",
                        "components: {discovery: {k8s: {tolerations: [{key: k, operator: Sometimes}]}}}",
                        "spec.template.spec.tolerations[0].operator"),
                operator("request above limit",
                        "components: {discovery: {k8s: {resources: {requests: {cpu: \"2\"}, limits: {cpu: \"1\"}}}}}",
                        "spec.template.spec.containers[0].resources.requests"),
                operator("priority class that is no DNS name", "components: {discovery: {k8s: {priorityClassName: Not_Valid}}}",
                        "spec.template.spec.priorityClassName"),
                operator("node affinity with an unknown operator", "components: {discovery: {k8s: {affinity: {nodeAffinity: "
                        + "{requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: "
                        + "[{key: zone, operator: Near, values: [a]}]}]}}}}}}", "operator"),
                operator("gateway service annotation key with a space",
                        "components: {ingressGateways: [{name: windlass-ingressgateway, k8s: {service: {annotations: {\"bad key\": x}}}}]}",
                        "Service mesh-table/windlass-ingressgateway"));
    }

    private static Case admission(String name, String spec, String expected) {
        return new Case(name, Caught.ADMISSION, spec, expected);
    }

    private static Case operator(String name, String spec, String expected) {
        return new Case(name, Caught.OPERATOR, spec, expected);
    }

    @BeforeAll
    static void installRunningMesh() {
        harness = OperatorHarness.get();
        client = harness.client;
        applyRaw(MESH, NAMESPACE, "");
        harness.awaitCondition(MESH, READY, "True", "Ready");
        versionsBefore = resourceVersions();
    }

    @AfterAll
    static void uninstall() {
        harness.delete(MESH);
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedNamingTheFieldAndLeavesTheMeshAlone(Case bad) {
        if (bad.caught() == Caught.ADMISSION) {
            assertThatThrownBy(() -> applyRaw(MESH, NAMESPACE, bad.spec())).isInstanceOf(KubernetesClientException.class)
                    .hasMessageContaining(bad.expected());
        } else {
            applyRaw(MESH, NAMESPACE, bad.spec());
            awaitReconciled("False");
            assertThat(harness.condition(MESH, RECONCILED).orElseThrow().getMessage()).contains(bad.expected())
                    .doesNotContain("Failure executing");
            assertThat(harness.condition(MESH, READY).orElseThrow().getStatus()).isEqualTo("True");
            applyRaw(MESH, NAMESPACE, "");
            awaitReconciled("True");
        }
        assertThat(resourceVersions()).isEqualTo(versionsBefore);
    }

    @Order(2)
    @Test
    void reservedNamespacesAreRefusedAtAdmission() {
        for (String reserved : new String[] {"kube-system", "kube-public", "kube-node-lease", "default"}) {
            assertThatThrownBy(() -> applyRaw("reserved", reserved, "")).as(reserved).isInstanceOf(KubernetesClientException.class)
                    .hasMessageContaining("spec.namespace must not be kube-system, kube-public, kube-node-lease or default");
        }
    }

    @Order(3)
    @Test
    void aRefusedNewMeshLeavesNoNamespaceBehind() {
        applyRaw("refused-new", "mesh-refused-new", "components: {discovery: {k8s: {nodeSelector: {\"bad key\": x}}}}");
        try {
            harness.awaitCondition("refused-new", RECONCILED, "False", "InvalidSpec");
            assertThat(harness.condition("refused-new", RECONCILED).orElseThrow().getMessage())
                    .contains("The API server refused the rendered mesh: Deployment mesh-refused-new/windlass-discovery")
                    .contains("spec.template.spec.nodeSelector");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                var namespace = client.namespaces().withName("mesh-refused-new").get();
                assertThat(namespace == null || namespace.getMetadata().getDeletionTimestamp() != null).isTrue();
            });
            assertThat(harness.managedObjects("refused-new")).allMatch(o -> "Namespace".equals(o.getKind()));
        } finally {
            harness.delete("refused-new");
        }
    }

    private static void awaitReconciled(String status) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var mcp = harness.get(MESH);
            return mcp.getStatus() != null && mcp.getMetadata().getGeneration().equals(mcp.getStatus().observedGeneration())
                    && harness.condition(MESH, RECONCILED).filter(c -> status.equals(c.getStatus())).isPresent();
        });
    }

    /** Raw YAML, past the typed model, which would refuse some of these before the apiserver sees them. */
    @SuppressWarnings("unchecked")
    private static void applyRaw(String name, String namespace, String specFragment) {
        GenericKubernetesResource resource = Serialization.unmarshal("""
                apiVersion: mesh.windlass.dev/v1alpha1
                kind: MeshControlPlane
                metadata:
                  name: %s
                spec:
                  version: "0.2.0"
                  profile: default
                  namespace: %s
                """.formatted(name, namespace), GenericKubernetesResource.class);
        if (!specFragment.isEmpty()) {
            ((Map<String, Object>) resource.getAdditionalProperties().get("spec"))
                    .putAll(Serialization.unmarshal(specFragment, Map.class));
        }
        client.resource(resource).fieldManager("table-test").forceConflicts().serverSideApply();
    }

    private static Map<String, String> resourceVersions() {
        return harness.managedObjects(MESH).stream()
                .collect(Collectors.toMap(o -> ObjectKey.of(o).toString(), o -> o.getMetadata().getResourceVersion()));
    }
}
