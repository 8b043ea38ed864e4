package dev.windlass.operator.status;

import dev.windlass.operator.install.MeshPlan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.List;

/**
 * What the mesh needs from the cluster but does not own: the traffic-API CRDs (possibly installed by someone
 * else, so never overwritten) must be served, and the mesh namespace must not be terminating.
 */
public record Dependencies(boolean healthy, String reason, String message) {

    public static Dependencies check(KubernetesClient client, MeshPlan plan) {
        List<String> problems = new ArrayList<>();
        for (HasMetadata object : plan.objects()) {
            if (object instanceof CustomResourceDefinition crd) {
                CustomResourceDefinition live = client.resource(crd).get();
                if (live == null || !established(live)) {
                    problems.add("CRD " + crd.getMetadata().getName() + " is not established");
                }
            }
        }
        Namespace namespace = client.namespaces().withName(plan.namespace()).get();
        if (namespace != null && namespace.getMetadata().getDeletionTimestamp() != null) {
            problems.add("namespace " + plan.namespace() + " is terminating; wait for it to go, and the mesh is reinstalled");
        }
        if (problems.isEmpty()) {
            return new Dependencies(true, "Healthy", "The traffic-API CRDs are served and the mesh namespace is active");
        }
        return new Dependencies(false, "DependencyMissing", String.join("; ", problems));
    }

    private static boolean established(CustomResourceDefinition crd) {
        return crd.getStatus() != null && crd.getStatus().getConditions() != null && crd.getStatus().getConditions().stream()
                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
