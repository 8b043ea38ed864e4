package dev.windlass.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.api.crd.MeshCrds;
import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.profiles.Yaml;
import dev.windlass.profiles.render.OperatorResources;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "install", mixinStandardHelpOptions = true,
        description = "Apply a MeshControlPlane (installing the CRD and the operator when they are absent) and wait until it is Ready.")
final class InstallCommand implements Callable<Integer> {
    static final String FIELD_MANAGER = "windlass-cli";

    @Spec
    CommandSpec spec;

    @Mixin
    ValuesOptions values;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--operator-image", description = "Operator image (default: windlass/operator:<this CLI's version>).")
    String operatorImage;

    @Override
    public Integer call() throws InterruptedException {
        ObjectNode userSpec = values.userSpec();
        PrintWriter out = spec.commandLine().getOut();
        try (KubernetesClient client = cluster.client()) {
            ensureCrd(client, out);
            ensureOperator(client, out);
            GenericKubernetesResource mcp = new GenericKubernetesResourceBuilder()
                    .withApiVersion(MeshControlPlane.GROUP + "/" + MeshControlPlane.VERSION).withKind("MeshControlPlane")
                    .withNewMetadata().withName(values.instance()).endMetadata()
                    .withAdditionalProperties(Map.of("spec", Yaml.MAPPER.convertValue(userSpec, Map.class)))
                    .build();
            client.resource(mcp).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
            out.println("meshcontrolplane/" + values.instance() + " applied; waiting until it is Ready (timeout " + cluster.timeout + ")");
            out.flush();
            if (new MeshProgress(client, out).awaitReady(values.instance(), cluster.timeout())) {
                out.println("✔ meshcontrolplane/" + values.instance() + " is Ready");
                return 0;
            }
            spec.commandLine().getErr().println("windlass: meshcontrolplane/" + values.instance() + " is not Ready after "
                    + cluster.timeout + "; see: kubectl describe mcp " + values.instance());
            return 1;
        }
    }

    private static void ensureCrd(KubernetesClient client, PrintWriter out) {
        for (CustomResourceDefinition definition : MeshCrds.all()) {
            CustomResourceDefinition crd = client.resource(definition).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
            client.resource(crd).waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions() != null
                    && c.getStatus().getConditions().stream().anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
                    60, TimeUnit.SECONDS);
            out.println("✔ CRD " + crd.getMetadata().getName() + " is established");
        }
    }

    private void ensureOperator(KubernetesClient client, PrintWriter out) {
        if (client.apps().deployments().inNamespace(OperatorResources.NAMESPACE).withName(OperatorResources.NAME).get() != null) {
            out.println("✔ the operator is installed");
            return;
        }
        String image = operatorImage != null ? operatorImage : OperatorResources.image(Optional.empty());
        for (HasMetadata object : OperatorResources.render(image, Optional.ofNullable(values.platform))) {
            client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        }
        out.println("✔ the operator is installed (" + image + ")");
    }
}
