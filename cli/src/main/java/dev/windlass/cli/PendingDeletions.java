package dev.windlass.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Objects the API server is still deleting. A delete returns at once, but a namespace (and a CRD with objects left)
 * terminates for seconds after: an install in that window would be refused ("being terminated"), and an uninstall
 * that said "removed" then would not be true yet.
 */
final class PendingDeletions {
    private final KubernetesClient client;
    private final PrintWriter out;

    PendingDeletions(KubernetesClient client, PrintWriter out) {
        this.client = client;
        this.out = out;
    }

    /** Waits until none of the objects exists. @return the ones still there at the timeout */
    List<String> awaitGone(List<HasMetadata> objects, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        List<String> left = existing(objects, false);
        while (!left.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            left = existing(objects, false);
        }
        return left;
    }

    /** Waits until those of the objects being deleted now are gone, saying so; the others are left alone. */
    List<String> awaitTerminated(List<HasMetadata> objects, Duration timeout) throws InterruptedException {
        List<String> terminating = existing(objects, true);
        if (terminating.isEmpty()) {
            return List.of();
        }
        out.println("waiting for " + String.join(", ", terminating) + " to finish terminating (an uninstall is still under way)");
        out.flush();
        return awaitGone(objects.stream().filter(o -> terminating.contains(describe(o))).toList(), timeout);
    }

    private List<String> existing(List<HasMetadata> objects, boolean onlyTerminating) {
        return objects.stream().filter(o -> {
            HasMetadata found = client.resource(o).get();
            return found != null && (!onlyTerminating || found.getMetadata().getDeletionTimestamp() != null);
        }).map(PendingDeletions::describe).toList();
    }

    private static String describe(HasMetadata object) {
        return object.getKind().toLowerCase() + "/" + object.getMetadata().getName();
    }
}
