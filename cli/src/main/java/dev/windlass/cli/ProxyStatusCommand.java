package dev.windlass.cli;

import dev.windlass.contract.Revisions;
import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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
    static final String DISCOVERY_LABEL = Revisions.DISCOVERY;
    static final int DEBUG_PORT = 8080;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "POD", description = "One proxy's pod, or POD.NAMESPACE.")
    String pod;

    @Mixin
    MeshPodOptions options;

    @Override
    public Integer call() throws InterruptedException {
        ProxyConfigCommand.PodRef ref = options.check(pod);
        try (KubernetesClient client = options.cluster.client()) {
            List<String> discoveryPods = discoveryPods(client, options);
            if (ref == null) {
                List<ProxyStatusTable.Row> rows = ProxyStatusTable.rows(pages(client, options, discoveryPods, "/debug/syncz"));
                spec.commandLine().getOut().print(ProxyStatusTable.render(ProxyStatusTable.inNamespace(rows, options.namespace)));
                return 0;
            }
            String ns = MeshPodOptions.namespaceOf(ref, client);
            String diff = diff(client, discoveryPods, ref.name() + "." + ns, ns, ref.name());
            spec.commandLine().getOut().print(diff);
            return ProxyStatusDiff.matches(diff) ? 0 : 1;
        }
    }

    private String diff(KubernetesClient client, List<String> discoveryPods, String podId, String ns, String name)
            throws InterruptedException {
        for (String discovery : discoveryPods) {
            PodHttp.Answer sent = PodHttp.get(client, options.meshNamespace, discovery, DEBUG_PORT,
                    "/debug/config_dump?proxyID=" + podId, options.cluster.timeout());
            if (sent.status() == 200) {
                String held = ProxyConfigAdmin.get(client, ns, name, "/config_dump", options.cluster.timeout());
                return "Discovery: " + discovery + "\n" + ProxyStatusDiff.render(sent.body(), held);
            }
        }
        throw new InputException("POD: " + podId + " is not connected to a discovery pod in " + options.meshNamespace);
    }

    static List<String> discoveryPods(KubernetesClient client, MeshPodOptions options) {
        List<String> pods = client.pods().inNamespace(options.meshNamespace).withLabel(DISCOVERY_SELECTOR, DISCOVERY_LABEL).list()
                .getItems().stream().filter(p -> "Running".equals(p.getStatus().getPhase()))
                .map(p -> p.getMetadata().getName()).sorted().toList();
        if (pods.isEmpty()) {
            throw new InputException("--mesh-namespace: no running discovery pod (app=" + DISCOVERY_LABEL + ") in " + options.meshNamespace);
        }
        return pods;
    }

    /** Each discovery pod's answer to {@code path} on the debug port. */
    static Map<String, String> pages(KubernetesClient client, MeshPodOptions options, List<String> discoveryPods, String path)
            throws InterruptedException {
        Map<String, String> pages = new LinkedHashMap<>();
        for (String discovery : discoveryPods) {
            PodHttp.Answer answer = PodHttp.get(client, options.meshNamespace, discovery, DEBUG_PORT, path, options.cluster.timeout());
            if (answer.status() != 200) {
                throw new InputException("discovery pod " + discovery + " answered " + path + " with " + answer.status());
            }
            pages.put(discovery, answer.body());
        }
        return pages;
    }
}
