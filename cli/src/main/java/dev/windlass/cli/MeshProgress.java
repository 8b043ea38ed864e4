package dev.windlass.cli;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.api.v1alpha1.MeshControlPlaneStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Follows a MeshControlPlane until it is Ready or gone, printing each change of its status once. */
final class MeshProgress {
    private final KubernetesClient client;
    private final PrintWriter out;
    private String last = "";

    MeshProgress(KubernetesClient client, PrintWriter out) {
        this.client = client;
        this.out = out;
    }

    /** @return true when Ready=True for the current generation before the deadline */
    boolean awaitReady(String name, Duration timeout) throws InterruptedException {
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            MeshControlPlane mcp = client.resources(MeshControlPlane.class).withName(name).get();
            MeshControlPlaneStatus status = mcp == null ? null : mcp.getStatus();
            boolean current = status != null && mcp.getMetadata().getGeneration().equals(status.observedGeneration());
            report(current ? status : null, start);
            if (current && condition(status, "Ready").filter(c -> "True".equals(c.getStatus())).isPresent()) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    boolean awaitGone(String name, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (client.resources(MeshControlPlane.class).withName(name).get() == null) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    private void report(MeshControlPlaneStatus status, Instant start) {
        StringBuilder line = new StringBuilder();
        if (status == null) {
            line.append("waiting for the operator to pick up the change");
        } else {
            condition(status, "Reconciled").filter(c -> "False".equals(c.getStatus()))
                    .ifPresent(c -> line.append("not reconciled (").append(c.getReason()).append("): ").append(c.getMessage()).append("\n  "));
            condition(status, "Ready").ifPresent(c -> line.append("Ready=").append(c.getStatus()).append(" ")
                    .append(c.getReason()).append(": ").append(c.getMessage()));
            if (status.components() != null) {
                status.components().forEach(c -> line.append("\n  ").append(Boolean.TRUE.equals(c.ready()) ? "✔ " : "… ")
                        .append(c.name()).append(" ").append(c.version() == null ? "" : c.version()));
            }
        }
        String text = line.toString();
        if (!text.equals(last)) {
            out.printf("[%3ds] %s%n", Duration.between(start, Instant.now()).toSeconds(), text);
            out.flush();
            last = text;
        }
    }

    private static Optional<Condition> condition(MeshControlPlaneStatus status, String type) {
        return status.conditions() == null ? Optional.empty()
                : status.conditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }
}
