package dev.windlass.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code windlass proxy-status [POD]}: without a pod, every connected proxy's CDS/LDS/EDS/RDS status and the
 * discovery pod it talks to, from each discovery pod's {@code /debug/syncz}; with one, what discovery would send it
 * against what it holds. Exit code 1 when a named proxy's config does not match.
 */
@Command(name = "proxy-status", aliases = "ps", mixinStandardHelpOptions = true,
        description = "Show whether each proxy has the latest config of the discovery server (SYNCED, STALE, NOT SENT), "
                + "or with a POD, whether its config matches what the discovery server would send, like istioctl proxy-status.")
final class ProxyStatusCommand implements Callable<Integer> {
    static final String DISCOVERY_SELECTOR = "app";
    static final String DISCOVERY_LABEL = "windlass-discovery";
    static final int DEBUG_PORT = 8080;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "POD", description = "One proxy's pod, or POD.NAMESPACE.")
    String pod;

    @Option(names = {"-n", "--namespace"}, description = "The pod's namespace (default: the kubeconfig context's, else default).")
    String namespace;

    @Option(names = {"-i", "--mesh-namespace", "--istioNamespace"}, defaultValue = "windlass-system",
            description = "Where the discovery server runs (default: ${DEFAULT-VALUE}).")
    String meshNamespace;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws InterruptedException {
        ProxyConfigCommand.PodRef ref = pod == null ? null : ProxyConfigCommand.PodRef.of(pod, namespace);
        checkNamespace("--mesh-namespace", meshNamespace);
        checkNamespace("--namespace", namespace);
        try (KubernetesClient client = cluster.client()) {
            List<String> discoveryPods = discoveryPods(client);
            if (ref == null) {
                List<ProxyStatusTable.Row> rows = ProxyStatusTable.rows(pages(client, discoveryPods, "/debug/syncz"));
                spec.commandLine().getOut().print(ProxyStatusTable.render(ProxyStatusTable.inNamespace(rows, namespace)));
                return 0;
            }
            String ns = ref.namespace() != null ? ref.namespace() : client.getNamespace() != null ? client.getNamespace() : "default";
            String diff = diff(client, discoveryPods, ref.name() + "." + ns, ns, ref.name());
            spec.commandLine().getOut().print(diff);
            return ProxyStatusDiff.matches(diff) ? 0 : 1;
        }
    }

    private String diff(KubernetesClient client, List<String> discoveryPods, String podId, String ns, String name)
            throws InterruptedException {
        for (String discovery : discoveryPods) {
            PodHttp.Answer sent = PodHttp.get(client, meshNamespace, discovery, DEBUG_PORT,
                    "/debug/config_dump?proxyID=" + podId, cluster.timeout());
            if (sent.status() == 200) {
                String held = ProxyConfigAdmin.get(client, ns, name, "/config_dump", cluster.timeout());
                return "Discovery: " + discovery + "\n" + ProxyStatusDiff.render(sent.body(), held);
            }
        }
        throw new InputException("POD: " + podId + " is not connected to a discovery pod in " + meshNamespace);
    }

    private static void checkNamespace(String flag, String value) {
        if (value != null && (!value.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || value.length() > 63)) {
            throw new InputException(flag + ": '" + value + "' is not a namespace name");
        }
    }

    private List<String> discoveryPods(KubernetesClient client) {
        List<String> pods = client.pods().inNamespace(meshNamespace).withLabel(DISCOVERY_SELECTOR, DISCOVERY_LABEL).list()
                .getItems().stream().filter(p -> "Running".equals(p.getStatus().getPhase()))
                .map(p -> p.getMetadata().getName()).sorted().toList();
        if (pods.isEmpty()) {
            throw new InputException("--mesh-namespace: no running discovery pod (app=" + DISCOVERY_LABEL + ") in " + meshNamespace);
        }
        return pods;
    }

    private Map<String, String> pages(KubernetesClient client, List<String> discoveryPods, String path)
            throws InterruptedException {
        Map<String, String> pages = new LinkedHashMap<>();
        for (String discovery : discoveryPods) {
            PodHttp.Answer answer = PodHttp.get(client, meshNamespace, discovery, DEBUG_PORT, path, cluster.timeout());
            if (answer.status() != 200) {
                throw new InputException("discovery pod " + discovery + " answered " + path + " with " + answer.status());
            }
            pages.put(discovery, answer.body());
        }
        return pages;
    }
}
