package dev.windlass.profiles.render;

import dev.windlass.traffic.istio.HttpRoute;
import dev.windlass.traffic.istio.IstioKind;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The traffic API's CRDs: structural schemas from the records, Istio's names, versions and columns. */
class TrafficApiCrdsTest {
    private final Map<String, CustomResourceDefinition> crds = TrafficApiCrds.render().stream()
            .collect(Collectors.toMap(c -> c.getSpec().getNames().getKind(), c -> c));

    @Test
    void everyNodeOfTheGeneratedSpecsIsTypedAndEveryObjectKeepsUnknownFields() {
        for (String kind : List.of("VirtualService", "DestinationRule", "ServiceEntry", "Gateway")) {
            List<String> untyped = new ArrayList<>();
            List<String> pruning = new ArrayList<>();
            walk("spec", spec(kind), (path, node) -> {
                if (node.getType() == null) {
                    untyped.add(path);
                }
                boolean record = "object".equals(node.getType()) && node.getAdditionalProperties() == null;
                if (record && !Boolean.TRUE.equals(node.getXKubernetesPreserveUnknownFields())) {
                    pruning.add(path);
                }
            });
            assertThat(untyped).as(kind + " nodes without a type").isEmpty();
            assertThat(pruning).as(kind + " objects that would prune unknown fields").isEmpty();
            assertThat(spec(kind).getProperties().values()).allSatisfy(p -> assertThat(p.getDescription()).isNotBlank());
        }
    }

    @Test
    void serviceEntryHasIstiosEnumsAndSidecarIsServedOnlyToBeRefused() {
        assertThat(spec("ServiceEntry").getProperties().get("resolution").getEnum()).extracting(n -> n.asText())
                .containsExactly("NONE", "STATIC", "DNS", "DNS_ROUND_ROBIN");
        assertThat(spec("ServiceEntry").getProperties().get("location").getEnum()).extracting(n -> n.asText())
                .containsExactly("MESH_EXTERNAL", "MESH_INTERNAL");
        assertThat(spec("Sidecar").getXKubernetesPreserveUnknownFields()).isTrue();
        assertThat(crds.get("Sidecar").getSpec().getNames().getShortNames()).isEmpty();
    }

    @Test
    void theSchemaFollowsTheRecordsWithIstiosEnumsAndTypes() {
        JSONSchemaProps http = spec("VirtualService").getProperties().get("http").getItems().getSchema();
        assertThat(http.getProperties().keySet()).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(HttpRoute.class.getRecordComponents()).map(c -> c.getName()).toList());
        JSONSchemaProps weight = http.getProperties().get("route").getItems().getSchema().getProperties().get("weight");
        assertThat(weight.getType()).isEqualTo("integer");
        assertThat(weight.getFormat()).isEqualTo("int32");
        assertThat(weight.getMinimum()).as("weight >= 0 is the webhook's rule, with Istio's message").isNull();
        assertThat(http.getProperties().get("match").getItems().getSchema().getProperties().get("headers")
                .getAdditionalProperties().getSchema().getProperties()).containsOnlyKeys("exact", "prefix", "regex");
        JSONSchemaProps simple = spec("DestinationRule").getProperties().get("trafficPolicy").getProperties()
                .get("loadBalancer").getProperties().get("simple");
        assertThat(simple.getEnum()).extracting(n -> n.asText())
                .containsExactly("UNSPECIFIED", "LEAST_CONN", "RANDOM", "PASSTHROUGH", "ROUND_ROBIN", "LEAST_REQUEST");
        assertThat(http.getProperties().get("corsPolicy").getProperties().get("unmatchedPreflights").getEnum())
                .extracting(n -> n.asText()).containsExactly("UNSPECIFIED", "FORWARD", "IGNORE");
        JSONSchemaProps server = spec("Gateway").getProperties().get("servers").getItems().getSchema();
        assertThat(server.getProperties()).containsOnlyKeys("port", "hosts", "tls", "name");
        assertThat(server.getProperties().get("tls").getProperties().get("mode").getEnum()).extracting(n -> n.asText())
                .containsExactly("PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL", "OPTIONAL_MUTUAL");
        assertThat(server.getProperties().get("port").getProperties().get("number").getMinimum()).isEqualTo(0d);
        assertThat(spec("Gateway").getProperties().get("selector").getAdditionalProperties().getSchema().getType()).isEqualTo("string");
    }

    @Test
    void versionsStatusAndColumnsAreIstios() {
        for (CustomResourceDefinition crd : crds.values()) {
            boolean security = crd.getSpec().getGroup().equals("security.istio.io");
            assertThat(crd.getSpec().getGroup()).isIn("networking.istio.io", "security.istio.io");
            assertThat(crd.getSpec().getVersions()).extracting(CustomResourceDefinitionVersion::getName)
                    .containsExactlyElementsOf(security ? List.of("v1", "v1beta1") : List.of("v1", "v1beta1", "v1alpha3"));
            assertThat(crd.getSpec().getVersions()).filteredOn(CustomResourceDefinitionVersion::getStorage)
                    .extracting(CustomResourceDefinitionVersion::getName).containsExactly("v1");
            assertThat(crd.getSpec().getVersions()).extracting(v -> v.getSchema().getOpenAPIV3Schema())
                    .as("one schema for every version").containsOnly(crd.getSpec().getVersions().getFirst().getSchema().getOpenAPIV3Schema());
            assertThat(crd.getSpec().getVersions()).allSatisfy(v -> assertThat(v.getSubresources().getStatus()).isNotNull());
            assertThat(crd.getSpec().getNames().getCategories())
                    .containsExactly("istio-io", security ? "security-istio-io" : "networking-istio-io");
            assertThat(crd.getMetadata().getAnnotations()).containsEntry(TrafficApiCrds.INSTALL_POLICY_ANNOTATION, "IfAbsent");
            JSONSchemaProps status = crd.getSpec().getVersions().getFirst().getSchema().getOpenAPIV3Schema().getProperties().get("status");
            assertThat(status.getProperties()).containsOnlyKeys("conditions", "observedGeneration", "validationMessages");
            assertThat(status.getXKubernetesPreserveUnknownFields()).isTrue();
        }
        assertThat(columns("VirtualService")).containsExactly("Gateways=.spec.gateways", "Hosts=.spec.hosts", "Age=.metadata.creationTimestamp");
        assertThat(columns("DestinationRule")).containsExactly("Host=.spec.host", "Age=.metadata.creationTimestamp");
        assertThat(columns("ServiceEntry")).containsExactly("Hosts=.spec.hosts", "Location=.spec.location",
                "Resolution=.spec.resolution", "Age=.metadata.creationTimestamp");
        assertThat(columns("Gateway")).isEmpty();
        assertThat(columns("PeerAuthentication")).containsExactly("Mode=.spec.mtls.mode", "Age=.metadata.creationTimestamp");
        assertThat(columns("AuthorizationPolicy")).containsExactly("Action=.spec.action", "Age=.metadata.creationTimestamp");
        assertThat(crds.get("PeerAuthentication").getMetadata().getName()).isEqualTo("peerauthentications.security.istio.io");
        assertThat(spec("Sidecar").getXKubernetesPreserveUnknownFields()).isTrue();
        assertThat(crds.values()).extracting(c -> String.join(",", c.getSpec().getNames().getShortNames()))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(IstioKind.values())
                        .map(k -> k.shortName() == null ? "" : k.shortName()).toList());
    }

    private JSONSchemaProps spec(String kind) {
        return crds.get(kind).getSpec().getVersions().getFirst().getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    }

    private List<String> columns(String kind) {
        List<CustomResourceColumnDefinition> columns = crds.get(kind).getSpec().getVersions().getFirst().getAdditionalPrinterColumns();
        return columns == null ? List.of() : columns.stream().map(c -> c.getName() + "=" + c.getJsonPath()).toList();
    }

    private static void walk(String path, JSONSchemaProps node, BiConsumer<String, JSONSchemaProps> visit) {
        visit.accept(path, node);
        if (node.getProperties() != null) {
            node.getProperties().forEach((name, child) -> walk(path + "." + name, child, visit));
        }
        if (node.getItems() != null && node.getItems().getSchema() != null) {
            walk(path + "[]", node.getItems().getSchema(), visit);
        }
        if (node.getAdditionalProperties() != null && node.getAdditionalProperties().getSchema() != null) {
            walk(path + ".*", node.getAdditionalProperties().getSchema(), visit);
        }
    }
}
