package dev.windlass.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The flags of commands about one pod of the mesh: its namespace, the mesh's namespace, and the cluster. */
final class MeshPodOptions {
    @Option(names = {"-n", "--namespace"},
            description = "The pod's namespace (default: windlass -n, else the kubeconfig context's, else default).")
    String namespace;

    @Option(names = {"-i", "--mesh-namespace", "--istioNamespace"},
            description = "Where the discovery server and the mesh-wide policies are (default: windlass -i, else "
                    + WindlassCli.DEFAULT_MESH_NAMESPACE + ").")
    String meshNamespace;

    @Mixin
    ClusterOptions cluster;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /**
     * The POD argument checked with -n, or null without one; -n and -i checked too. Called first by each command:
     * -n and -i not given after the command are taken from before it ({@code windlass -n NS proxy-status}).
     */
    ProxyConfigCommand.PodRef check(String pod) {
        namespace = WindlassCli.namespace(command, namespace);
        meshNamespace = WindlassCli.meshNamespace(command, meshNamespace);
        ProxyConfigCommand.PodRef ref = pod == null ? null : ProxyConfigCommand.PodRef.of(pod, namespace);
        checkNamespace("--mesh-namespace", meshNamespace);
        checkNamespace("--namespace", namespace);
        return ref;
    }

    /** The pod's namespace: POD.NAMESPACE or -n, else the kubeconfig context's, else default. */
    static String namespaceOf(ProxyConfigCommand.PodRef ref, KubernetesClient client) {
        return ref.namespace() != null ? ref.namespace() : client.getNamespace() != null ? client.getNamespace() : "default";
    }

    private static void checkNamespace(String flag, String value) {
        if (value != null && (!value.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || value.length() > 63)) {
            throw new InputException(flag + ": '" + value + "' is not a namespace name");
        }
    }
}
