package dev.windlass.operator.install;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Pods of a rollout that will not get better by waiting: an image that cannot be pulled or started, a container in
 * a crash loop. Kubernetes only says so with ProgressDeadlineExceeded after ten minutes; the pods say it at once.
 */
final class StuckPods {
    private static final Set<String> STUCK = Set.of("CrashLoopBackOff", "ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull",
            "InvalidImageName", "CreateContainerConfigError", "CreateContainerError", "RunContainerError");

    private StuckPods() {
    }

    /** One line per stuck container, e.g. {@code pod windlass-discovery-7d9c-x2k5p: container discovery CrashLoopBackOff}. */
    static List<String> describe(List<Pod> pods) {
        return pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .flatMap(StuckPods::stuckContainers).toList();
    }

    private static Stream<String> stuckContainers(Pod pod) {
        if (pod.getStatus() == null) {
            return Stream.empty();
        }
        List<ContainerStatus> statuses = Stream.concat(
                Objects.requireNonNullElse(pod.getStatus().getInitContainerStatuses(), List.<ContainerStatus>of()).stream(),
                Objects.requireNonNullElse(pod.getStatus().getContainerStatuses(), List.<ContainerStatus>of()).stream()).toList();
        return statuses.stream()
                .filter(s -> s.getState() != null && s.getState().getWaiting() != null && STUCK.contains(s.getState().getWaiting().getReason()))
                .map(s -> "pod " + pod.getMetadata().getName() + ": container " + s.getName() + " " + s.getState().getWaiting().getReason()
                        + lastExit(s));
    }

    private static String lastExit(ContainerStatus status) {
        var terminated = status.getLastState() == null ? null : status.getLastState().getTerminated();
        if (terminated == null) {
            return "";
        }
        String message = terminated.getMessage() == null ? "" : ": " + terminated.getMessage().strip().lines().reduce((a, b) -> b).orElse("");
        return " (last exit code " + terminated.getExitCode() + message + ")";
    }
}
