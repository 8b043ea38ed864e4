package dev.windlass.cli;

import dev.windlass.api.crd.MeshCrds;
import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.api.v1alpha1.MeshRevisionTag;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import dev.windlass.profiles.render.OperatorResources;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "uninstall", mixinStandardHelpOptions = true,
        description = "Delete a MeshControlPlane and wait until the operator has removed everything it created.")
final class UninstallCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--name", defaultValue = "windlass", description = "The MeshControlPlane (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--purge", description = "Also delete the traffic-API CRDs the mesh created and, when no mesh is left, "
            + "the operator and the MeshControlPlane CRD.")
    boolean purge;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        try (KubernetesClient client = cluster.client()) {
            var mcp = client.resources(MeshControlPlane.class).withName(name);
            if (!crdInstalled(client, MeshControlPlane.CRD_NAME) || mcp.get() == null) {
                out.println("meshcontrolplane/" + name + " does not exist");
            } else {
                if (purge) {
                    // A merge patch carries no resourceVersion: the operator writing the status at the same
                    // moment cannot make it fail with a conflict, as an edit() would.
                    mcp.patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("metadata",
                            Map.of("annotations", Map.of(MeshControlPlane.PURGE_ANNOTATION, "true")))));
                }
                mcp.delete();
                out.println("meshcontrolplane/" + name + " deleted; waiting for the operator to remove the mesh");
                out.flush();
                if (!new MeshProgress(client, out).awaitGone(name, cluster.timeout())) {
                    spec.commandLine().getErr().println("windlass: meshcontrolplane/" + name + " is still there after "
                            + cluster.timeout + "; is the operator running? kubectl -n " + OperatorResources.NAMESPACE + " get pods");
                    return 1;
                }
                out.println("✔ meshcontrolplane/" + name + " and everything it created are gone");
            }
            if (purge) {
                return purgeOperator(client, out);
            }
            return 0;
        }
    }

    private static boolean crdInstalled(KubernetesClient client, String name) {
        return client.apiextensions().v1().customResourceDefinitions().withName(name).get() != null;
    }

    /** Also after an install that stopped early, or an earlier purge: kinds whose CRD is gone have nothing left. */
    private int purgeOperator(KubernetesClient client, PrintWriter out) throws InterruptedException {
        if (crdInstalled(client, MeshControlPlane.CRD_NAME) && !client.resources(MeshControlPlane.class).list().getItems().isEmpty()) {
            out.println("other MeshControlPlanes remain: the operator and the CRD stay");
            return 0;
        }
        List<HasMetadata> deleted = new ArrayList<>(OperatorResources.render(OperatorResources.image(Optional.empty()), Optional.empty()));
        Collections.reverse(deleted);
        deleted.forEach(object -> client.resource(object).delete());
        int tags = crdInstalled(client, MeshRevisionTag.CRD_NAME) ? client.resources(MeshRevisionTag.class).list().getItems().size() : 0;
        for (CustomResourceDefinition crd : MeshCrds.all()) {
            if (crd.getMetadata().getName().equals(MeshRevisionTag.CRD_NAME) && tags > 0) {
                // Tags are the user's own objects: deleting their CRD would delete them.
                out.println(tags + " MeshRevisionTags remain: the CRD " + MeshRevisionTag.CRD_NAME + " stays");
                continue;
            }
            client.resource(crd).delete();
            deleted.add(crd);
        }
        List<String> left = new PendingDeletions(client, out).awaitGone(deleted, cluster.timeout());
        if (!left.isEmpty()) {
            spec.commandLine().getErr().println("windlass: still being deleted after " + cluster.timeout + ": " + String.join(", ", left)
                    + "; see: kubectl get " + String.join(" ", left));
            return 1;
        }
        out.println("✔ the operator and its CRDs are removed");
        return 0;
    }
}
