package dev.windlass.cli;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a pod is waiting for, in the words a user would otherwise dig out of {@code kubectl describe} and
 * {@code kubectl logs --previous}: the image and the pull error, the crash loop and its last log line, the
 * scheduler's reason.
 */
final class PodDiagnosis {
    private static final Set<String> PULL_FAILURES = Set.of("ErrImagePull", "ImagePullBackOff");
    /** Waiting reasons that no retry can change: the reference is malformed, or pulling is forbidden and the node lacks it. */
    private static final Set<String> NEVER_PULLED = Set.of("InvalidImageName", "ErrImageNeverPull");

    /** The last line a container's previous instance logged. */
    interface Logs {
        String lastLine(Pod pod, String container);
    }

    /** A container whose image the node cannot get. */
    record PullFailure(String pod, String container, String image, String message, boolean retryable) {
    }

    private PodDiagnosis() {
    }

    /** One line for the pod, then one per container that is not ready. */
    static List<String> describe(Pod pod, Logs logs) {
        String name = "pod " + pod.getMetadata().getName();
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return List.of(name + ": terminating");
        }
        Optional<PodCondition> unscheduled = condition(pod, "PodScheduled").filter(c -> "False".equals(c.getStatus()));
        if (unscheduled.isPresent()) {
            return List.of(name + ": Pending, not scheduled: " + unscheduled.get().getMessage());
        }
        List<String> lines = new ArrayList<>();
        for (ContainerStatus status : statuses(pod)) {
            if (!Boolean.TRUE.equals(status.getReady())) {
                lines.add(name + ": container " + status.getName() + " " + container(pod, status, logs));
            }
        }
        if (lines.isEmpty()) {
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            lines.add(name + ": " + Objects.requireNonNullElse(phase, "Pending") + (statuses(pod).isEmpty() ? ", no container started yet" : ""));
        }
        return lines;
    }

    /** The pod's containers that cannot get their image, with the image and the pull error. */
    static List<PullFailure> pullFailures(Pod pod) {
        return statuses(pod).stream().filter(s -> waiting(s).map(w -> PULL_FAILURES.contains(w.getReason())
                        || NEVER_PULLED.contains(w.getReason())).orElse(false))
                .map(s -> new PullFailure(pod.getMetadata().getName(), s.getName(), image(pod, s), pullError(waiting(s).get()),
                        PULL_FAILURES.contains(waiting(s).get().getReason())))
                .toList();
    }

    /**
     * The last line of a log that says something: a Java stack trace ends in frames ("at ...", "... 3 more"), so the
     * line before them, often the root cause, is taken instead.
     */
    static String lastLogLine(String log) {
        List<String> lines = Objects.requireNonNullElse(log, "").lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("at ") && !l.matches("\\.\\.\\. \\d+ more")).toList();
        return lines.isEmpty() ? null : lines.getLast();
    }

    private static String container(Pod pod, ContainerStatus status, Logs logs) {
        Optional<ContainerStateWaiting> waiting = waiting(status);
        if (waiting.isEmpty()) {
            ContainerStateTerminated terminated = status.getState() == null ? null : status.getState().getTerminated();
            return terminated != null ? "exited with code " + terminated.getExitCode() : "is running, not ready yet";
        }
        String reason = waiting.get().getReason();
        if (PULL_FAILURES.contains(reason) || NEVER_PULLED.contains(reason)) {
            return "cannot get image " + image(pod, status) + " (" + reason + "): " + pullError(waiting.get());
        }
        if ("CrashLoopBackOff".equals(reason)) {
            return "is in CrashLoopBackOff (" + lastExit(status) + status.getRestartCount() + " restarts); last log line: "
                    + Objects.requireNonNullElse(logs.lastLine(pod, status.getName()), "(no log)");
        }
        String message = waiting.get().getMessage();
        return reason + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /** The pull error without the back-off prefix, which only repeats the image. */
    private static String pullError(ContainerStateWaiting waiting) {
        String message = Objects.requireNonNullElse(waiting.getMessage(), "");
        if (message.startsWith("Back-off pulling image \"")) {
            int end = message.indexOf("\": ");
            message = end < 0 ? "" : message.substring(end + 3);
        }
        message = message.startsWith("ErrImagePull: ") ? message.substring("ErrImagePull: ".length()) : message;
        return message.isBlank() ? "(no message)" : message.strip();
    }

    private static String lastExit(ContainerStatus status) {
        ContainerStateTerminated terminated = status.getLastState() == null ? null : status.getLastState().getTerminated();
        return terminated == null ? "" : "exit code " + terminated.getExitCode() + ", ";
    }

    /** The image as the pod spec names it; the status may show a resolved name, or nothing before a pull succeeds. */
    private static String image(Pod pod, ContainerStatus status) {
        return Stream.concat(Objects.requireNonNullElse(pod.getSpec().getInitContainers(), List.<Container>of()).stream(),
                        pod.getSpec().getContainers().stream())
                .filter(c -> c.getName().equals(status.getName())).map(Container::getImage).findFirst()
                .orElse(status.getImage());
    }

    private static Optional<ContainerStateWaiting> waiting(ContainerStatus status) {
        return Optional.ofNullable(status.getState()).map(s -> s.getWaiting());
    }

    private static List<ContainerStatus> statuses(Pod pod) {
        if (pod.getStatus() == null) {
            return List.of();
        }
        return Stream.concat(Objects.requireNonNullElse(pod.getStatus().getInitContainerStatuses(), List.<ContainerStatus>of()).stream(),
                Objects.requireNonNullElse(pod.getStatus().getContainerStatuses(), List.<ContainerStatus>of()).stream()).toList();
    }

    private static Optional<PodCondition> condition(Pod pod, String type) {
        return pod.getStatus() == null || pod.getStatus().getConditions() == null ? Optional.empty()
                : pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }
}
