package dev.windlass.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;

import java.util.List;
import java.util.function.Function;

/**
 * {@code windlass verify-install}'s check: each object the mesh renders must exist in the cluster, and each
 * Deployment must have all its replicas ready and up to date; one ✔ or ✘ line per object, as istioctl prints it.
 */
final class VerifyInstall {
    record Report(String text, int failed) {
    }

    private VerifyInstall() {
    }

    /** @param lookup the cluster's object of the same kind, namespace and name, or null when there is none */
    static Report check(List<HasMetadata> rendered, Function<HasMetadata, HasMetadata> lookup) {
        StringBuilder text = new StringBuilder();
        int failed = 0;
        for (HasMetadata object : rendered) {
            String problem = problem(lookup.apply(object));
            String what = object.getKind() + ": " + object.getMetadata().getName()
                    + (object.getMetadata().getNamespace() != null ? "." + object.getMetadata().getNamespace() : "");
            text.append(problem == null ? "✔ " + what + " checked successfully" : "✘ " + what + " " + problem).append('\n');
            failed += problem == null ? 0 : 1;
        }
        text.append(failed == 0
                ? "✔ Windlass is installed and verified successfully (" + rendered.size() + " objects)\n"
                : "✘ " + failed + " of " + rendered.size() + " objects failed the check\n");
        return new Report(text.toString(), failed);
    }

    private static String problem(HasMetadata live) {
        if (live == null) {
            return "is missing";
        }
        if (live instanceof Deployment deployment) {
            int wanted = deployment.getSpec() == null || deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
            DeploymentStatus status = deployment.getStatus();
            int ready = status == null || status.getReadyReplicas() == null ? 0 : status.getReadyReplicas();
            int updated = status == null || status.getUpdatedReplicas() == null ? 0 : status.getUpdatedReplicas();
            if (ready < wanted || updated < wanted) {
                return "has " + ready + " of " + wanted + " replicas ready, " + updated + " up to date";
            }
        }
        return null;
    }
}
