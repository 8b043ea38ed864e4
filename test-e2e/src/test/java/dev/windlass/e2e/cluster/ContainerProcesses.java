package dev.windlass.e2e.cluster;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The host processes of one container on the local cluster's node, found as the node itself knows them: by the
 * container's id in each process's cgroup path (the kubelet's cgroupfs layout {@code /kubepods/.../pod<uid>/<id>}).
 * The images are built FROM scratch, so there is no shell in the container to {@code kill -STOP} from.
 */
final class ContainerProcesses {
    private ContainerProcesses() {
    }

    /** Sends {@code kill -<signal>} to every process of the container; fails unless there is at least one. */
    static List<Long> signal(Pod pod, String container, String signal) throws IOException, InterruptedException {
        String id = containerId(pod, container);
        List<Long> pids = pidsOf(id);
        if (pids.isEmpty()) {
            throw new IllegalStateException("no process on this host is in the cgroup of container " + container + " (" + id + ") of "
                    + pod.getMetadata().getName());
        }
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(kill.getInputStream().readAllBytes());
        if (kill.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return pids;
    }

    private static String containerId(Pod pod, String container) {
        String id = pod.getStatus().getContainerStatuses().stream().filter(s -> s.getName().equals(container))
                .map(ContainerStatus::getContainerID).findFirst()
                .orElseThrow(() -> new IllegalStateException("pod " + pod.getMetadata().getName() + " has no container " + container));
        return id.substring(id.indexOf("://") + 3);
    }

    private static List<Long> pidsOf(String containerId) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    if (Files.readString(process.resolve("cgroup")).contains("/" + containerId)) {
                        pids.add(Long.parseLong(process.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // the process exited while the list was read: not one of the container's
                }
            }
        }
        return pids;
    }
}
