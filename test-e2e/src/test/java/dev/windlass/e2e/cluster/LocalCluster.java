package dev.windlass.e2e.cluster;

import io.fabric8.kubernetes.api.model.Pod;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The single-node cluster built on this machine by test-e2e/cluster/cluster (real kubelet, containerd, CoreDNS). */
final class LocalCluster extends KubeconfigCluster {
    private final Path script;

    private LocalCluster(Path script, Path kubeconfig) {
        super(kubeconfig);
        this.script = script;
    }

    /** Runs {@code cluster up}, which is idempotent, and connects to the cluster it reports. */
    static LocalCluster up(Path repositoryRoot) {
        Path script = repositoryRoot.resolve("test-e2e/cluster/cluster");
        List<String> output = run(script, List.of("up"));
        return new LocalCluster(script, Path.of(output.getLast().trim()));
    }

    @Override
    public void loadImages(List<Path> imageTars) {
        List<String> args = new ArrayList<>(List.of("load-images"));
        imageTars.forEach(tar -> args.add(tar.toString()));
        run(script, args);
    }

    @Override
    public void tagImage(String source, String target) {
        run(script, List.of("tag-image", source, target));
    }

    @Override
    public void removeImages(String... images) {
        List<String> args = new ArrayList<>(List.of("remove-image"));
        args.addAll(List.of(images));
        run(script, args);
    }

    @Override
    public List<Long> signalContainer(Pod pod, String container, String signal) throws IOException, InterruptedException {
        return ContainerProcesses.signal(pod, container, signal);
    }

    @Override
    public String describe() {
        return "the local cluster of " + script;
    }

    private static List<String> run(Path script, List<String> args) {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            List<String> lines = process.inputReader().lines().toList();
            int code = process.waitFor();
            if (code != 0 || lines.isEmpty() && args.getFirst().equals("up")) {
                throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + code);
            }
            return lines;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + script, e);
        }
    }
}
