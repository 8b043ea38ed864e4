package dev.windlass.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** How the CLI reaches the cluster: KUBECONFIG and its current context, as kubectl does, or --kubeconfig. */
final class ClusterOptions {
    @Option(names = "--kubeconfig", description = "Path to a kubeconfig file (default: $KUBECONFIG or ~/.kube/config).")
    Path kubeconfig;

    @Option(names = "--timeout", defaultValue = "300s", description = "How long to wait, e.g. 90s or 5m (default: ${DEFAULT-VALUE}).")
    String timeout;

    /** Checks the flags first, so that bad input fails before any network call. */
    KubernetesClient client() {
        timeout();
        Config config;
        if (kubeconfig != null) {
            if (!Files.isRegularFile(kubeconfig) || !Files.isReadable(kubeconfig)) {
                throw new InputException("--kubeconfig: " + kubeconfig + ": no such file");
            }
            config = Config.fromKubeconfig(null, kubeconfig.toFile());
        } else {
            config = Config.autoConfigure(null);
        }
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(config).withRequestTimeout(30_000).build()).build();
    }

    Duration timeout() {
        String text = timeout.trim();
        try {
            if (text.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(text.endsWith("s") ? text.substring(0, text.length() - 1) : text));
        } catch (NumberFormatException e) {
            throw new InputException("--timeout: '" + timeout + "' is not a duration such as 90s or 5m");
        }
    }
}
