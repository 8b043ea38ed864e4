package dev.windlass.operator;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.api.v1alpha1.MeshRevision;
import dev.windlass.api.v1alpha1.MeshRevisionTag;
import dev.windlass.operator.install.ManagedObjects;
import dev.windlass.profiles.render.OperatorResources;
import dev.windlass.profiles.render.TrafficApiCrds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fails when the operator starts to write, watch or read a kind that its ClusterRole (which the install and the
 * OLM bundle both use) does not allow. Tier 3 proves the same with the real RBAC authorizer.
 */
class OperatorRbacTest {
    private final List<PolicyRule> rules = OperatorResources.clusterRules();
    private final List<String> missing = new ArrayList<>();

    @Test
    void theClusterRoleCoversEveryKindTheOperatorTouches() {
        for (Class<? extends HasMetadata> kind : ManagedObjects.KINDS) {
            require(kind, "", "get", "list", "watch", "create", "patch", "delete");
        }
        require(CustomResourceDefinition.class, "", "get", "list", "create");
        // patch and delete only the traffic API's CRDs, by name
        for (CustomResourceDefinition crd : TrafficApiCrds.render()) {
            for (String verb : List.of("patch", "delete")) {
                if (!OperatorResources.allows(rules, "apiextensions.k8s.io", "customresourcedefinitions", verb, crd.getMetadata().getName())) {
                    missing.add(verb + " customresourcedefinitions/" + crd.getMetadata().getName());
                }
            }
        }
        assertThat(OperatorResources.allows(rules, "apiextensions.k8s.io", "customresourcedefinitions", "delete", "meshcontrolplanes.mesh.windlass.dev"))
                .as("a CRD that is not the traffic API's").isFalse();
        require(EndpointSlice.class, "", "get", "list", "watch");
        require(Pod.class, "", "list");
        require(MeshControlPlane.class, "", "get", "list", "watch", "patch");
        require(MeshControlPlane.class, "/status", "patch");
        require(MeshControlPlane.class, "/finalizers", "update");
        require(MeshRevisionTag.class, "", "get", "list", "watch");
        require(MeshRevisionTag.class, "/status", "patch");
        require(MeshRevision.class, "/status", "patch");
        if (!OperatorResources.allows(rules, "", "events", "create")) {
            missing.add("create events");
        }
        assertThat(missing).isEmpty();
    }

    private void require(Class<? extends HasMetadata> kind, String subresource, String... verbs) {
        String group = HasMetadata.getGroup(kind);
        String resource = HasMetadata.getPlural(kind) + subresource;
        for (String verb : verbs) {
            if (!OperatorResources.allows(rules, group, resource, verb)) {
                missing.add(verb + " " + group + "/" + resource);
            }
        }
    }
}
