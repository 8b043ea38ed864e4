package dev.windlass.cli;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.profiles.Yaml;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code windlass bug-report [-o FILE] [-n NS] [-i MESH_NS]}: the mesh namespace's objects (Secrets redacted) and
 * its pods' logs, the MeshControlPlanes, every discovery pod's syncz and each connected proxy's config dump, in one
 * tar.gz. What cannot be read is listed in {@code errors.txt} rather than ending the report.
 */
@Command(name = "bug-report", mixinStandardHelpOptions = true,
        description = "Collect the mesh's logs, objects (Secrets redacted), proxy status and proxy config dumps into one tar.gz.")
final class BugReportCommand implements Callable<Integer> {
    private static final int LOG_LINES = 2000;

    @Option(names = {"-o", "--output"}, defaultValue = "bug-report.tar.gz", description = "The archive to write (default: ${DEFAULT-VALUE}).")
    Path output;

    @Mixin
    MeshPodOptions options;

    @Spec
    CommandSpec spec;

    private final Map<String, String> files = new TreeMap<>();
    private final List<String> errors = new ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        options.check(null);
        Path parent = output.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new InputException("--output: " + output + ": no such directory " + parent);
        }
        try (KubernetesClient client = options.cluster.client()) {
            collectObjects(client);
            collectLogs(client);
            collectProxies(client);
        }
        files.put("errors.txt", String.join("\n", errors) + "\n");
        BugReportArchive.write(output, files);
        spec.commandLine().getOut().println("Wrote " + output + " (" + files.size() + " files, " + errors.size() + " errors)");
        return 0;
    }

    private void collectObjects(KubernetesClient client) {
        String ns = options.meshNamespace;
        List<HasMetadata> objects = new ArrayList<>();
        attempt("objects", () -> {
            objects.addAll(client.apps().deployments().inNamespace(ns).list().getItems());
            objects.addAll(client.services().inNamespace(ns).list().getItems());
            objects.addAll(client.configMaps().inNamespace(ns).list().getItems());
            objects.addAll(client.secrets().inNamespace(ns).list().getItems());
            objects.addAll(client.pods().inNamespace(ns).list().getItems());
        });
        attempt("meshcontrolplanes", () -> objects.addAll(client.resources(MeshControlPlane.class).inAnyNamespace().list().getItems()));
        files.put("objects.yaml", Yaml.writeAll(BugReportArchive.redacted(objects)));
    }

    private void collectLogs(KubernetesClient client) {
        attempt("logs", () -> {
            for (Pod pod : client.pods().inNamespace(options.meshNamespace).list().getItems()) {
                for (Container container : pod.getSpec().getContainers()) {
                    String name = pod.getMetadata().getName();
                    files.put("logs/" + name + "/" + container.getName() + ".log", client.pods().inNamespace(options.meshNamespace)
                            .withName(name).inContainer(container.getName()).tailingLines(LOG_LINES).getLog());
                }
            }
        });
    }

    private void collectProxies(KubernetesClient client) throws InterruptedException {
        Map<String, String> syncz;
        try {
            syncz = ProxyStatusCommand.pages(client, options, ProxyStatusCommand.discoveryPods(client, options), "/debug/syncz");
        } catch (RuntimeException e) {
            errors.add("syncz: " + e.getMessage());
            return;
        }
        syncz.forEach((pod, page) -> files.put("discovery/" + pod + "-syncz.json", page));
        List<ProxyStatusTable.Row> rows = ProxyStatusTable.inNamespace(ProxyStatusTable.rows(syncz), options.namespace);
        files.put("proxy-status.txt", ProxyStatusTable.render(rows));
        for (ProxyStatusTable.Row row : rows) {
            int dot = row.name().lastIndexOf('.'); // pod names may hold dots, namespaces may not
            try {
                files.put("proxies/" + row.name() + "-config_dump.json", ProxyConfigAdmin.get(client,
                        row.name().substring(dot + 1), row.name().substring(0, dot), "/config_dump", options.cluster.timeout()));
            } catch (RuntimeException e) {
                errors.add("config_dump " + row.name() + ": " + e.getMessage());
            }
        }
    }

    private void attempt(String what, Runnable read) {
        try {
            read.run();
        } catch (KubernetesClientException e) {
            errors.add(what + ": " + e.getMessage());
        }
    }
}
