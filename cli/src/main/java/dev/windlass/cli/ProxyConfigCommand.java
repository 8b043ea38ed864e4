package dev.windlass.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code windlass proxy-config TYPE POD [-n NS] [-o short|json|yaml] [filters]}, as istioctl's: singular and plural
 * type names, {@code -n} before or after the command, {@code log [--level L]} to read or set the proxy's log level.
 */
@Command(name = "proxy-config", aliases = "pc", mixinStandardHelpOptions = true,
        description = "Show a proxy's listeners, routes, clusters, endpoints, secrets, bootstrap or all of them, or read "
                + "and set its log level, through its admin port (15000) over a port-forward, like istioctl proxy-config.")
final class ProxyConfigCommand implements Callable<Integer> {
    private static final String DNS_SUBDOMAIN = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
    private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final List<String> LEVELS = List.of("trace", "debug", "info", "warning", "error", "off");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TYPE",
            description = "listener(s), route(s), cluster(s), endpoint(s), secret(s), bootstrap, log or all.")
    String type;

    @Parameters(index = "1", arity = "0..1", paramLabel = "POD", description = "The pod, or POD.NAMESPACE.")
    String pod;

    @Option(names = {"-n", "--namespace"}, description = "The pod's namespace (default: windlass -n, the kubeconfig context's, else default).")
    String namespace;

    @Option(names = {"-o", "--output"}, defaultValue = "short", description = "short (a table), json or yaml (default: ${DEFAULT-VALUE}).")
    String output;

    @Option(names = "--level", description = "log: set the proxy's log level (trace, debug, info, warning, error, off).")
    String level;

    @Mixin
    ProxyConfigFilters filters;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws InterruptedException {
        ProxyConfigType what = ProxyConfigType.parse(type);
        filters.check(what);
        checkLevel(what);
        ProxyConfigOutput format = ProxyConfigOutput.parse(output);
        PodRef ref = PodRef.of(pod, WindlassCli.namespace(spec, namespace));
        try (KubernetesClient client = cluster.client()) {
            String ns = ref.namespace() != null ? ref.namespace() : client.getNamespace() != null ? client.getNamespace() : "default";
            if (what == ProxyConfigType.LOG) {
                String method = level == null ? "GET" : "POST";
                String path = ProxyConfigType.LOGGING + (level == null ? "" : "?level=" + level);
                spec.commandLine().getOut().print(ProxyConfigAdmin.send(client, ns, ref.name(), method, path, cluster.timeout()));
                return 0;
            }
            List<String> pages = new ArrayList<>();
            for (String path : what.adminPaths()) {
                pages.add(ProxyConfigAdmin.get(client, ns, ref.name(), path, cluster.timeout()));
            }
            ProxyConfigType.Pages read = what == ProxyConfigType.ENDPOINTS ? new ProxyConfigType.Pages(null, pages.getFirst())
                    : new ProxyConfigType.Pages(pages.getFirst(), pages.size() > 1 ? pages.get(1) : null);
            spec.commandLine().getOut().print(what.render(read, format, filters));
        }
        return 0;
    }

    private void checkLevel(ProxyConfigType what) {
        if (level != null && what != ProxyConfigType.LOG) {
            throw new InputException("--level: only log takes a level");
        }
        if (level != null && !LEVELS.contains(level)) {
            throw new InputException("--level: '" + level + "' is not one of " + String.join(", ", LEVELS));
        }
    }

    /** The POD argument ({@code name} or {@code name.namespace}, as istioctl takes it) and -n, checked. */
    record PodRef(String name, String namespace) {
        static PodRef of(String pod, String namespace) {
            if (pod == null) {
                throw new InputException("POD: a pod name is required");
            }
            String name = pod;
            String ns = namespace;
            if (ns == null && pod.indexOf('.') > 0) {
                name = pod.substring(0, pod.indexOf('.'));
                ns = pod.substring(pod.indexOf('.') + 1);
            }
            if (!name.matches(DNS_SUBDOMAIN) || name.length() > 253) {
                throw new InputException("POD: '" + pod + "' is not a pod name");
            }
            if (ns != null && (!ns.matches(DNS_LABEL) || ns.length() > 63)) {
                throw new InputException((namespace != null ? "--namespace" : "POD") + ": '" + ns + "' is not a namespace name");
            }
            return new PodRef(name, ns);
        }
    }
}
