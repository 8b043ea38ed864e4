package dev.windlass.cli;

import dev.windlass.injector.Injector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code windlass kube-inject}: istioctl kube-inject for Windlass. The pods of the given YAML get the sidecar
 * exactly as the webhook would add it (same library, same template), whatever their namespace's labels, since
 * asking is the opt-in; a pod that says {@code sidecar.windlass.dev/inject: "false"} is left alone.
 */
@Command(name = "kube-inject", mixinStandardHelpOptions = true,
        description = "Add the Windlass sidecar to the pods of Kubernetes YAML (Pods, Deployments, StatefulSets, "
                + "DaemonSets, ReplicaSets, Jobs, CronJobs), offline, and print the YAML.")
final class KubeInjectCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--filename"}, required = true, description = "Kubernetes YAML, one or more documents; - for stdin.")
    Path file;

    @Option(names = "--revision", description = "The mesh revision to inject (default: default, or the injector config's).")
    String revision;

    @Option(names = "--injector-config", description = "The injector ConfigMap (kubectl get configmap "
            + "windlass-sidecar-injector -n windlass-system -o yaml) instead of rendering it from a profile.")
    Path injectorConfig;

    @Option(names = "--mesh-file", description = "A MeshControlPlane YAML file to render the injector config from.")
    Path meshFile;

    @Option(names = "--profile", description = "Profile to render the injector config from (default: default).")
    String profile;

    @Option(names = "--set", description = "Override one mesh value, as for manifest generate. Repeatable.")
    List<String> sets = new ArrayList<>();

    @Override
    public void run() {
        if (revision != null && !revision.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
            throw new InputException("--revision: '" + revision + "' is not a DNS label");
        }
        KubeInjectConfig config = injectorConfig != null
                ? KubeInjectConfig.fromFile(injectorConfig, revision)
                : KubeInjectConfig.rendered(values(), revision == null ? "default" : revision);
        Injector injector = new Injector(config.config(), config.meshNamespace());
        String yaml = KubeInjectDocuments.read(file);
        spec.commandLine().getOut().print(new KubeInjectDocuments(injector, file.toString()).inject(yaml));
    }

    /** The profile options go through ValuesOptions, whose own -f is taken here by the application's YAML. */
    private ValuesOptions values() {
        ValuesOptions values = new ValuesOptions();
        values.file = meshFile;
        values.profile = profile;
        values.sets = sets;
        return values;
    }
}
