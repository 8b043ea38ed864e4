package dev.windlass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windlass.traffic.istio.IstioKind;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code windlass x describe pod POD [-n NS]}: the mesh config that applies to one pod, like istioctl x describe. */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Describe the Services, DestinationRules, VirtualServices and security policies that apply to a pod.")
final class DescribeCommand implements Callable<Integer> {
    private static final List<ResourceDefinitionContext> SECURITY_KINDS = List.of(
            AnalyzeCluster.istio(IstioKind.PEER_AUTHENTICATION), AnalyzeCluster.istio(IstioKind.AUTHORIZATION_POLICY),
            AnalyzeCluster.istio(IstioKind.REQUEST_AUTHENTICATION));

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KIND", description = "pod (the only kind described)")
    String kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "POD", description = "The pod, or POD.NAMESPACE.")
    String pod;

    @Mixin
    MeshPodOptions options;

    @Override
    public Integer call() {
        if (!List.of("pod", "pods", "po").contains(kind)) {
            throw new InputException("KIND: '" + kind + "' is not pod (the only kind described)");
        }
        if (pod == null) {
            throw new InputException("POD: a pod name is required");
        }
        ProxyConfigCommand.PodRef ref = options.check(pod);
        try (KubernetesClient client = options.cluster.client()) {
            String ns = MeshPodOptions.namespaceOf(ref, client);
            Pod found = client.pods().inNamespace(ns).withName(ref.name()).get();
            if (found == null) {
                throw new InputException("POD: no pod " + ref.name() + " in namespace " + ns);
            }
            List<ResourceDefinitionContext> kinds = new ArrayList<>(AnalyzeCluster.KINDS);
            kinds.addAll(SECURITY_KINDS);
            JsonNode podJson = ProxyConfigDump.JSON.valueToTree(found);
            spec.commandLine().getOut().print(PodDescription.describe(podJson, AnalyzeCluster.read(client, ns, kinds), options.meshNamespace));
        }
        return 0;
    }

    /** {@code windlass x}: experimental commands, as istioctl x. */
    @Command(name = "x", aliases = "experimental", mixinStandardHelpOptions = true,
            description = "Experimental commands: describe.", subcommands = DescribeCommand.class)
    static final class Experimental implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new InputException("a command is required: x describe pod POD");
        }
    }
}
