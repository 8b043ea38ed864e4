package dev.windlass.profiles.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Istio's traffic API, networking.istio.io: the same group, kinds and versions, so that existing Istio YAML
 * (v1, v1beta1 or v1alpha3) applies unchanged. The spec is validated by the discovery server's webhook rather
 * than by the schema. These CRDs carry no instance label: the operator installs them only when absent, and
 * pruning never removes them.
 */
final class TrafficApiCrds {
    static final String GROUP = "networking.istio.io";
    static final List<String> PLURALS = List.of("virtualservices", "destinationrules", "gateways", "serviceentries");
    static final String INSTALL_POLICY_ANNOTATION = "windlass.dev/install-policy";

    private record Kind(String kind, String plural, String shortName) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("VirtualService", "virtualservices", "vs"),
            new Kind("DestinationRule", "destinationrules", "dr"),
            new Kind("Gateway", "gateways", "gw"),
            new Kind("ServiceEntry", "serviceentries", "se"));

    private TrafficApiCrds() {
    }

    static List<HasMetadata> render(MeshContext ctx) {
        return KINDS.stream().map(kind -> crd(ctx, kind)).toList();
    }

    private static HasMetadata crd(MeshContext ctx, Kind kind) {
        Map<String, String> labels = new TreeMap<>(Map.of(
                "app.kubernetes.io/part-of", "windlass",
                MeshContext.MANAGED_BY_LABEL, MeshContext.MANAGED_BY,
                "app.kubernetes.io/component", "traffic-api"));
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName(kind.plural() + "." + GROUP)
                .withLabels(labels)
                .withAnnotations(Map.of(INSTALL_POLICY_ANNOTATION, "IfAbsent"))
                .endMetadata()
                .withNewSpec()
                .withGroup(GROUP)
                .withScope("Namespaced")
                .withNewNames()
                .withKind(kind.kind()).withListKind(kind.kind() + "List").withPlural(kind.plural())
                .withSingular(kind.kind().toLowerCase()).withShortNames(kind.shortName())
                .withCategories("istio-io", "networking-istio-io")
                .endNames()
                .withVersions(version("v1", true), version("v1beta1", false), version("v1alpha3", false))
                .endSpec()
                .build();
    }

    private static CustomResourceDefinitionVersion version(String name, boolean storage) {
        JSONSchemaProps open = new JSONSchemaPropsBuilder().withType("object").withXKubernetesPreserveUnknownFields(true).build();
        return new CustomResourceDefinitionVersionBuilder()
                .withName(name).withServed(true).withStorage(storage)
                .withNewSchema().withNewOpenAPIV3Schema()
                .withType("object")
                .withProperties(new TreeMap<>(Map.of("spec", open, "status", open)))
                .endOpenAPIV3Schema().endSchema()
                .withNewSubresources().withNewStatus().endStatus().endSubresources()
                .build();
    }
}
