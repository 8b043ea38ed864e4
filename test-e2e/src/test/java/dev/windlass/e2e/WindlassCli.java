package dev.windlass.e2e;

import dev.windlass.e2e.cluster.ClusterProvider;
import dev.windlass.e2e.cluster.TestCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The windlass CLI as a user runs it ({@code bin/windlass}), against the test cluster. */
public final class WindlassCli {
    private static final Logger LOG = LoggerFactory.getLogger(WindlassCli.class);

    private WindlassCli() {
    }

    /** @param errors what it wrote to stderr (the error line, for a failing command) */
    public record Result(int code, String output, String errors) {
    }

    public static Result run(TestCluster cluster, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ClusterProvider.repositoryRoot().resolve("bin/windlass").toString()));
        command.addAll(List.of(args));
        if (!args[0].equals("kube-inject")) {
            command.addAll(List.of("--kubeconfig", cluster.kubeconfig().toString()));
        }
        Path stderr = Files.createTempFile("windlass-", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
            String output = new String(process.getInputStream().readAllBytes());
            int code = process.waitFor();
            String errors = Files.readString(stderr);
            LOG.info("windlass {} → exit {}\n{}{}", String.join(" ", args), code,
                    output.length() > 2000 ? output.substring(0, 2000) : output, errors);
            return new Result(code, output, errors);
        } finally {
            Files.deleteIfExists(stderr);
        }
    }
}
