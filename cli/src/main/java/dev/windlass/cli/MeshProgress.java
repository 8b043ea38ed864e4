package dev.windlass.cli;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.api.v1alpha1.MeshControlPlaneStatus;
import dev.windlass.profiles.render.OperatorResources;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Follows a MeshControlPlane until it is Ready or gone, printing each change of what it waits for once. */
final class MeshProgress {
    private final KubernetesClient client;
    private final PrintWriter out;
    private String last = "";

    MeshProgress(KubernetesClient client, PrintWriter out) {
        this.client = client;
        this.out = out;
    }

    /**
     * Waits until Ready=True for the current generation, printing what it waits for: first the operator's pods, then
     * the mesh's conditions.
     *
     * @return empty when Ready; otherwise why not, never empty: a failure no waiting mends (the operator's image
     *     cannot be pulled, the operator refused the spec), or what it was still waiting for at the timeout
     */
    Optional<String> awaitReady(String name, Duration timeout, OperatorWatch operator) throws InterruptedException {
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        while (true) {
            OperatorWatch.State state = operator.check();
            MeshControlPlaneStatus status = currentStatus(name);
            Optional<String> failure = failure(state, status);
            if (failure.isPresent() || status != null && isTrue(status, "Ready")) {
                return failure;
            }
            String waitingFor = waitingFor(name, state, status);
            report(waitingFor, start);
            if (!Instant.now().isBefore(deadline)) {
                return Optional.of("is not Ready after " + timeout.toSeconds() + "s; still waiting for " + waitingFor);
            }
            Thread.sleep(1000);
        }
    }

    /**
     * After the MeshControlPlane was applied: says so, waits until it is Ready, and ends with a line on out (Ready,
     * with {@code readyNote} after it) or on err (why not, and where to look). Returns the exit code: 0 or 1.
     */
    int followApplied(String name, String timeoutText, Duration timeout, String readyNote, PrintWriter err) throws InterruptedException {
        out.println("meshcontrolplane/" + name + " applied; waiting until it is Ready (timeout " + timeoutText + ")");
        out.flush();
        Optional<String> problem = awaitReady(name, timeout, new OperatorWatch(client));
        if (problem.isPresent()) {
            err.println("windlass: meshcontrolplane/" + name + " " + problem.get() + "\nsee: kubectl describe mcp " + name
                    + "; kubectl -n " + OperatorResources.NAMESPACE + " get pods");
            return 1;
        }
        out.println("✔ meshcontrolplane/" + name + " is Ready" + readyNote);
        return 0;
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

    /** The status the operator wrote for the current generation, or null when it has not yet. */
    private MeshControlPlaneStatus currentStatus(String name) {
        MeshControlPlane mcp = client.resources(MeshControlPlane.class).withName(name).get();
        return mcp == null || mcp.getStatus() == null
                || !mcp.getMetadata().getGeneration().equals(mcp.getStatus().observedGeneration()) ? null : mcp.getStatus();
    }

    /** The operator refuses an invalid spec until it changes, so waiting would only run into the timeout. */
    private static Optional<String> failure(OperatorWatch.State operator, MeshControlPlaneStatus status) {
        if (operator.failure().isPresent()) {
            return Optional.of("cannot become Ready: the operator cannot start: " + operator.failure().get());
        }
        return Optional.ofNullable(status).flatMap(s -> condition(s, "Reconciled"))
                .filter(c -> "False".equals(c.getStatus()) && "InvalidSpec".equals(c.getReason()))
                .map(c -> "cannot become Ready: the operator refused its spec (InvalidSpec): " + c.getMessage());
    }

    private static String waitingFor(String name, OperatorWatch.State operator, MeshControlPlaneStatus status) {
        StringBuilder text = new StringBuilder();
        if (!operator.available()) {
            text.append("the operator to run:");
            operator.waitingFor().forEach(line -> text.append("\n  ").append(line));
        } else if (status == null) {
            return "the running operator to report on meshcontrolplane/" + name;
        }
        if (status != null) {
            text.append(text.isEmpty() ? "" : "\nand for ").append("meshcontrolplane/").append(name).append(" to be Ready:");
            conditions(status).forEach(line -> text.append("\n  ").append(line));
        }
        return text.toString();
    }

    private static List<String> conditions(MeshControlPlaneStatus status) {
        List<String> lines = new ArrayList<>();
        condition(status, "Reconciled").filter(c -> "False".equals(c.getStatus()))
                .ifPresent(c -> lines.add("not reconciled (" + c.getReason() + "): " + c.getMessage()));
        lines.add(condition(status, "Ready").map(c -> "Ready=" + c.getStatus() + " " + c.getReason() + ": " + c.getMessage())
                .orElse("no Ready condition yet"));
        if (status.components() != null) {
            status.components().forEach(c -> lines.add((Boolean.TRUE.equals(c.ready()) ? "✔ " : "… ") + c.name()
                    + (c.version() == null ? "" : " " + c.version())));
        }
        if (status.dataPlane() != null && !status.dataPlane().isEmpty()) {
            lines.add("proxies: " + String.join(", ", status.dataPlane().stream().map(p -> p.version() + " (" + p.proxies() + ")").toList()));
        }
        return lines;
    }

    private static boolean isTrue(MeshControlPlaneStatus status, String type) {
        return condition(status, type).filter(c -> "True".equals(c.getStatus())).isPresent();
    }

    private void report(String text, Instant start) {
        if (!text.equals(last)) {
            out.printf("[%3ds] waiting for %s%n", Duration.between(start, Instant.now()).toSeconds(), text);
            out.flush();
            last = text;
        }
    }

    private static Optional<Condition> condition(MeshControlPlaneStatus status, String type) {
        return status.conditions() == null ? Optional.empty()
                : status.conditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }
}
