package dev.windlass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.traffic.istio.IstioKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code windlass analyze} reads from the cluster: Services, Pods, VirtualServices, DestinationRules and Gateways,
 * through generic resources. Everything is read from all namespaces, as istioctl does, since a VirtualService
 * may route to a Service of another namespace; only findings about the analysed namespace are shown. Where
 * RBAC allows only the analysed namespace, that is read instead. A cluster without networking.istio.io has no
 * VirtualServices.
 */
final class AnalyzeCluster {
    /** Named in full, so that no discovery call is needed and a kind the cluster lacks is a plain 404. */
    static final List<ResourceDefinitionContext> KINDS = List.of(
            kind("", "v1", "Service", "services"), kind("", "v1", "Pod", "pods"),
            istio(IstioKind.VIRTUAL_SERVICE), istio(IstioKind.DESTINATION_RULE),
            // ServiceEntry hosts are registry hosts: a VirtualService routing to one is not missing its host.
            istio(IstioKind.SERVICE_ENTRY), istio(IstioKind.GATEWAY));

    private AnalyzeCluster() {
    }

    static ResourceDefinitionContext istio(IstioKind kind) {
        return kind(kind.group(), IstioKind.STORAGE_VERSION, kind.kind(), kind.plural());
    }

    /** The objects as JSON, each with its apiVersion and kind set (list items come without them). */
    static List<JsonNode> read(KubernetesClient client, String namespace) {
        return read(client, namespace, KINDS);
    }

    /** The objects of the given kinds; a kind the cluster does not serve has none. */
    static List<JsonNode> read(KubernetesClient client, String namespace, List<ResourceDefinitionContext> kinds) {
        List<JsonNode> objects = new ArrayList<>();
        for (ResourceDefinitionContext kind : kinds) {
            String apiVersion = kind.getGroup().isEmpty() ? kind.getVersion() : kind.getGroup() + "/" + kind.getVersion();
            for (GenericKubernetesResource item : list(client, kind, namespace)) {
                ObjectNode object = ProxyConfigDump.JSON.valueToTree(item);
                object.put("apiVersion", apiVersion).put("kind", kind.getKind());
                objects.add(object);
            }
        }
        return objects;
    }

    static ResourceDefinitionContext kind(String group, String version, String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }

    private static List<GenericKubernetesResource> list(KubernetesClient client, ResourceDefinitionContext kind, String namespace) {
        var resources = client.genericKubernetesResources(kind);
        try {
            return resources.inAnyNamespace().list().getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return List.of(); // the kind is not served
            }
            if (e.getCode() != 403 || namespace == null) {
                throw e;
            }
        }
        try {
            return resources.inNamespace(namespace).list().getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return List.of();
            }
            throw e;
        }
    }

    /** Whether the namespace exists; true when the CLI may not tell (RBAC), so that the analysis still runs. */
    static boolean namespaceExists(KubernetesClient client, String namespace) {
        try {
            return client.namespaces().withName(namespace).get() != null;
        } catch (KubernetesClientException e) {
            return true;
        }
    }
}
