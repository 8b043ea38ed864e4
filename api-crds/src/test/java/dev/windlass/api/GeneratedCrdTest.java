package dev.windlass.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.windlass.api.crd.MeshControlPlaneCrd;
import dev.windlass.api.v1alpha1.MeshControlPlane;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The CRD as the build generated it, read from the classpath exactly as the operator, CLI and bundle read it. */
class GeneratedCrdTest {
    private final JsonNode crd = load();
    private final JsonNode version = crd.path("spec").path("versions").get(0);
    private final JsonNode schema = version.path("schema").path("openAPIV3Schema");

    @Test
    void isClusterScopedWithShortNameAndStatusSubresource() {
        assertThat(crd.path("metadata").path("name").asText()).isEqualTo(MeshControlPlane.CRD_NAME);
        assertThat(crd.path("spec").path("scope").asText()).isEqualTo("Cluster");
        assertThat(crd.path("spec").path("names").path("shortNames").get(0).asText()).isEqualTo("mcp");
        assertThat(version.path("subresources").has("status")).isTrue();
    }

    @Test
    void printerColumnsComeInTheDesignedOrder() {
        List<String> names = new ArrayList<>();
        version.path("additionalPrinterColumns").forEach(c -> names.add(c.path("name").asText()));
        assertThat(names).containsExactly("Namespace", "Profile", "Version", "Revisions", "Ready", "Status", "Age");
    }

    @Test
    void isStructuralAndPreservesUnknownFieldsOnlyUnderValuesExperimental() {
        List<String> untyped = new ArrayList<>();
        List<String> preserving = new ArrayList<>();
        walk("", schema, untyped, preserving);
        assertThat(untyped).as("schema nodes without a type").isEmpty();
        assertThat(preserving).containsExactly(".spec.values.experimental");
    }

    @Test
    void carriesTheCelRulesOnceEach() {
        JsonNode spec = schema.path("properties").path("spec").path("properties");
        assertThat(rules(spec.path("namespace"))).containsExactly("self == oldSelf",
                "!(self in ['kube-system', 'kube-public', 'kube-node-lease', 'default'])");
        assertThat(rules(spec.path("components").path("properties").path("ingressGateways")))
                .containsExactly("self.all(g, self.exists_one(h, h.name == g.name))");
        assertThat(rules(spec.path("components").path("properties").path("discovery").path("properties")
                .path("k8s").path("properties").path("hpa")))
                .containsExactly("!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas");
    }

    @Test
    void boundsAndPatternsAreInTheSchema() {
        JsonNode spec = schema.path("properties").path("spec").path("properties");
        JsonNode k8s = spec.path("components").path("properties").path("discovery").path("properties").path("k8s").path("properties");
        assertThat(k8s.path("replicas").path("minimum").asInt()).isZero();
        JsonNode gateway = spec.path("components").path("properties").path("ingressGateways").path("items");
        assertThat(gateway.path("required").toString()).contains("name");
        assertThat(gateway.path("properties").path("name").path("pattern").asText()).isEqualTo("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
        assertThat(spec.path("updateStrategy").path("properties").path("type").path("enum").toString())
                .isEqualTo("[\"InPlace\",\"RevisionBased\"]");
        assertThat(schema.path("properties").path("spec").path("required").toString()).contains("version");
    }

    @Test
    void everyIntegerHasTheBoundsOfItsJavaType() {
        JsonNode k8s = schema.path("properties").path("spec").path("properties").path("components").path("properties")
                .path("discovery").path("properties").path("k8s").path("properties");
        assertThat(k8s.path("replicas").path("format").asText()).isEqualTo("int32");
        assertThat(k8s.path("replicas").path("maximum").asLong()).isEqualTo(Integer.MAX_VALUE);
        assertThat(k8s.path("replicas").path("minimum").asLong()).as("the annotation's bound is kept").isZero();
        JsonNode weight = k8s.path("affinity").path("properties").path("nodeAffinity").path("properties")
                .path("preferredDuringSchedulingIgnoredDuringExecution").path("items").path("properties").path("weight");
        assertThat(weight.path("maximum").asLong()).as("Kubernetes model types are bounded too").isEqualTo(Integer.MAX_VALUE);
        JsonNode grace = schema.path("properties").path("spec").path("properties").path("updateStrategy").path("properties")
                .path("inactiveRevisionDeletionGracePeriodSeconds");
        assertThat(grace.path("format").asText()).isEqualTo("int64");
        List<String> unbounded = new ArrayList<>();
        integersWithoutFormat("", schema, unbounded);
        assertThat(unbounded).isEmpty();
    }

    @Test
    void resourceQuantitiesFollowTheKubernetesSyntax() {
        JsonNode cpu = schema.path("properties").path("spec").path("properties").path("components").path("properties")
                .path("discovery").path("properties").path("k8s").path("properties").path("resources").path("properties")
                .path("requests").path("additionalProperties");
        java.util.regex.Pattern quantity = java.util.regex.Pattern.compile(cpu.path("pattern").asText());
        assertThat(List.of("100m", "1", "1.5", "512Mi", "2Gi", "1e3")).allMatch(q -> quantity.matcher(q).matches());
        assertThat(List.of("lots", "1 Gi", "", "Mi")).noneMatch(q -> quantity.matcher(q).matches());
    }

    private static void integersWithoutFormat(String path, JsonNode node, List<String> found) {
        if ("integer".equals(node.path("type").asText()) && !node.has("format")) {
            found.add(path);
        }
        node.path("properties").fields().forEachRemaining(e -> integersWithoutFormat(path + "." + e.getKey(), e.getValue(), found));
        if (node.has("items")) {
            integersWithoutFormat(path + "[]", node.get("items"), found);
        }
        if (node.path("additionalProperties").isObject()) {
            integersWithoutFormat(path + "{}", node.get("additionalProperties"), found);
        }
    }

    private static List<String> rules(JsonNode node) {
        List<String> rules = new ArrayList<>();
        node.path("x-kubernetes-validations").forEach(r -> rules.add(r.path("rule").asText()));
        return rules;
    }

    private static void walk(String path, JsonNode node, List<String> untyped, List<String> preserving) {
        boolean intOrString = node.path("x-kubernetes-int-or-string").asBoolean();
        if (!node.has("type") && !intOrString) {
            untyped.add(path);
        }
        if (node.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
            preserving.add(path);
        }
        for (Map.Entry<String, JsonNode> property : node.path("properties").properties()) {
            walk(path + "." + property.getKey(), property.getValue(), untyped, preserving);
        }
        if (node.has("items")) {
            walk(path + "[]", node.get("items"), untyped, preserving);
        }
        if (node.path("additionalProperties").isObject()) {
            walk(path + "{}", node.get("additionalProperties"), untyped, preserving);
        }
    }

    private static JsonNode load() {
        try (InputStream in = MeshControlPlaneCrd.open()) {
            return new YAMLMapper().readTree(in);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
