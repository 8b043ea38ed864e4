package dev.windlass.profiles.render;

import dev.windlass.contract.Labels;
import dev.windlass.traffic.istio.IstioKind;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Istio's traffic and security APIs, networking.istio.io and security.istio.io: the same groups, kinds, versions
 * (v1 stored, the older ones Istio serves with the same schema), short names, categories and printer columns as
 * Istio's CRDs, so that existing Istio YAML applies unchanged and {@code kubectl get vs} reads the same. VirtualService, DestinationRule
 * and ServiceEntry have structural schemas generated from the traffic-api records ({@link TrafficApiSchemas}); Gateway
 * and Sidecar stay open until Windlass implements them (the webhook refuses them meanwhile). The rules beyond
 * types are the discovery server's validating webhook's. These CRDs carry no instance label: the operator installs
 * them only when absent, and pruning never removes them.
 */
public final class TrafficApiCrds {
    static final String INSTALL_POLICY_ANNOTATION = "windlass.dev/install-policy";
    private static final String AGE_DESCRIPTION = "CreationTimestamp is a timestamp representing the server time when "
            + "this object was created. It is not guaranteed to be set in happens-before order across separate "
            + "operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC. Populated "
            + "by the system. Read-only. Null for lists. More info: "
            + "https://git.k8s.io/community/contributors/devel/api-conventions.md#metadata";

    private TrafficApiCrds() {
    }

    /** The CRDs, in IstioKind order; the same for every mesh (they depend on nothing in its values). */
    public static List<CustomResourceDefinition> render() {
        return Arrays.stream(IstioKind.values()).map(TrafficApiCrds::crd).toList();
    }

    private static CustomResourceDefinition crd(IstioKind kind) {
        Map<String, String> labels = new TreeMap<>(Map.of(
                Labels.PART_OF, "windlass",
                Labels.MANAGED_BY, Labels.MANAGED_BY_OPERATOR,
                Labels.COMPONENT, "traffic-api"));
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName(kind.plural() + "." + kind.group())
                .withLabels(labels)
                .withAnnotations(Map.of(INSTALL_POLICY_ANNOTATION, "IfAbsent"))
                .endMetadata()
                .withNewSpec()
                .withGroup(kind.group())
                .withScope("Namespaced")
                .withNewNames()
                .withKind(kind.kind()).withListKind(kind.kind() + "List").withPlural(kind.plural())
                .withSingular(kind.kind().toLowerCase())
                .withShortNames(kind.shortName() == null ? List.of() : List.of(kind.shortName()))
                .withCategories("istio-io", kind.apiGroup().category())
                .endNames()
                .withVersions(kind.apiGroup().versions().stream().map(v -> version(kind, v)).toList())
                .endSpec()
                .build();
    }

    private static CustomResourceDefinitionVersion version(IstioKind kind, String name) {
        return new CustomResourceDefinitionVersionBuilder()
                .withName(name).withServed(true).withStorage(name.equals(IstioKind.STORAGE_VERSION))
                .withAdditionalPrinterColumns(columns(kind))
                .withNewSchema().withNewOpenAPIV3Schema()
                .withType("object")
                .withProperties(new TreeMap<>(Map.<String, JSONSchemaProps>of(
                        "spec", TrafficApiSchemas.spec(kind), "status", TrafficApiSchemas.status())))
                .endOpenAPIV3Schema().endSchema()
                .withNewSubresources().withNewStatus().endStatus().endSubresources()
                .build();
    }

    /** Istio's columns per kind; a Gateway has none, so kubectl shows its name and age only. */
    private static List<CustomResourceColumnDefinition> columns(IstioKind kind) {
        List<CustomResourceColumnDefinition> columns = new ArrayList<>(switch (kind) {
            case VIRTUAL_SERVICE -> List.of(
                    column("Gateways", ".spec.gateways", "The names of gateways and sidecars that should apply these routes"),
                    column("Hosts", ".spec.hosts", "The destination hosts to which traffic is being sent"));
            case DESTINATION_RULE -> List.of(column("Host", ".spec.host", "The name of a service from the service registry"));
            case SERVICE_ENTRY -> List.of(
                    column("Hosts", ".spec.hosts", "The hosts associated with the ServiceEntry"),
                    column("Location", ".spec.location",
                            "Whether the service is external to the mesh or part of the mesh (MESH_EXTERNAL or MESH_INTERNAL)"),
                    column("Resolution", ".spec.resolution", "Service discovery mode for the hosts (NONE, STATIC, or DNS)"));
            case PEER_AUTHENTICATION -> List.of(column("Mode", ".spec.mtls.mode", "Defines the mTLS mode used for peer authentication."));
            case AUTHORIZATION_POLICY -> List.of(column("Action", ".spec.action", "The operation to take."));
            case GATEWAY, SIDECAR, REQUEST_AUTHENTICATION -> List.<CustomResourceColumnDefinition>of();
        });
        if (!columns.isEmpty()) {
            columns.add(new CustomResourceColumnDefinitionBuilder().withName("Age").withType("date")
                    .withJsonPath(".metadata.creationTimestamp").withDescription(AGE_DESCRIPTION).build());
        }
        return columns;
    }

    private static CustomResourceColumnDefinition column(String name, String jsonPath, String description) {
        return new CustomResourceColumnDefinitionBuilder().withName(name).withType("string").withJsonPath(jsonPath)
                .withDescription(description).build();
    }
}
