package dev.windlass.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code windlass proxy-config listeners|routes|clusters|endpoints POD [-n NS] [-o short|json] [--name ROUTE]};
 * istioctl's singular names (route, listener...) work too.
 */
@Command(name = "proxy-config", mixinStandardHelpOptions = true,
        description = "Show a proxy's listeners, routes, clusters or endpoints, read from its admin port (15000) "
                + "through a port-forward, like istioctl proxy-config.")
final class ProxyConfigCommand implements Callable<Integer> {
    private static final String DNS_SUBDOMAIN = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
    private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TYPE", description = "listeners, routes, clusters or endpoints (or route, listener...)")
    String type;

    @Parameters(index = "1", arity = "0..1", paramLabel = "POD", description = "The pod, or POD.NAMESPACE.")
    String pod;

    @Option(names = {"-n", "--namespace"}, description = "The pod's namespace (default: the kubeconfig context's, else default).")
    String namespace;

    @Option(names = {"-o", "--output"}, defaultValue = "short", description = "short (a table) or json (default: ${DEFAULT-VALUE}).")
    String output;

    @Option(names = "--name", description = "routes: only the route configuration of this name (http.80, 9080...).")
    String routeName;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws InterruptedException {
        ProxyConfigType what = ProxyConfigType.parse(type);
        if (routeName != null && what != ProxyConfigType.ROUTES) {
            throw new InputException("--name: only routes are chosen by name");
        }
        boolean json = json(output);
        PodRef ref = PodRef.of(pod, namespace);
        try (KubernetesClient client = cluster.client()) {
            String ns = ref.namespace() != null ? ref.namespace() : client.getNamespace() != null ? client.getNamespace() : "default";
            String page = ProxyConfigAdmin.get(client, ns, ref.name(), what.adminPath(), cluster.timeout());
            spec.commandLine().getOut().print(what.render(page, json, routeName));
        }
        return 0;
    }

    private static boolean json(String output) {
        return switch (output) {
            case "json" -> true;
            case "short" -> false;
            default -> throw new InputException("--output: '" + output + "' is not short or json");
        };
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
