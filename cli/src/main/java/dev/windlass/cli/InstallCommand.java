package dev.windlass.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.api.crd.MeshCrds;
import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.contract.Revisions;
import dev.windlass.profiles.ResolvedValues;
import dev.windlass.profiles.Yaml;
import dev.windlass.profiles.render.MeshContext;
import dev.windlass.profiles.render.OperatorResources;
import dev.windlass.upgrade.MeshVersion;
import dev.windlass.upgrade.VersionCatalog;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "install", mixinStandardHelpOptions = true,
        description = "Apply a MeshControlPlane (installing the CRD and the operator when they are absent) and wait until it is Ready.")
final class InstallCommand implements Callable<Integer> {
    static final String FIELD_MANAGER = "windlass-cli";
    private static final String HUB = "[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*";

    @Spec
    CommandSpec spec;

    @Mixin
    ValuesOptions values;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--hub", description = "Registry and repository of the operator and mesh images, e.g. "
            + "registry.example.com/windlass (sets values.global.hub). Without it the images are windlass/..., "
            + "which no registry serves: they must be on the nodes already (bin/demo loads them).")
    String hub;

    @Option(names = "--operator-image", description = "Operator image (default: <hub>/operator:<this CLI's version>).")
    String operatorImage;

    @Override
    public Integer call() throws InterruptedException {
        applyHub();
        ObjectNode userSpec = values.userSpec();
        ResolvedValues resolved = values.resolve();
        PrintWriter out = spec.commandLine().getOut();
        try (KubernetesClient client = cluster.client()) {
            Deployment operator = client.apps().deployments().inNamespace(OperatorResources.NAMESPACE).withName(OperatorResources.NAME).get();
            String image = operatorImage != null ? operatorImage : OperatorResources.image(hubOf(resolved));
            List<String> unreachable = unreachable(client, operator == null ? image : null, userSpec, resolved, out);
            if (!unreachable.isEmpty()) {
                return fail("these images are not reachable from the cluster: " + String.join(", ", unreachable) + "; nothing was applied."
                        + " Load them onto the nodes (bin/demo does, on the local cluster and kind) or push them to a registry"
                        + " the cluster can pull from and give --hub");
            }
            List<String> terminating = new PendingDeletions(client, out).awaitTerminated(purgedByUninstall(), cluster.timeout());
            if (!terminating.isEmpty()) {
                return fail("still being deleted after " + cluster.timeout + ": " + String.join(", ", terminating) + "; nothing was applied");
            }
            ensureCrd(client, out);
            ensureOperator(client, out, operator, image);
            applyMesh(client, values.instance(), userSpec);
            return new MeshProgress(client, out).followApplied(values.instance(), cluster.timeout, cluster.timeout(), "",
                    spec.commandLine().getErr());
        }
    }

    /** --hub is values.global.hub, set after the file and --set so that the flag wins. */
    private void applyHub() {
        if (hub != null) {
            if (!hub.matches(HUB)) {
                throw new InputException("--hub: '" + hub + "' is not a registry and repository such as registry.example.com/windlass");
            }
            values.sets.add("values.global.hub=" + hub);
        }
    }

    /** Not bad input, so not exit 2: the cluster cannot run what was asked. */
    private int fail(String message) {
        spec.commandLine().getErr().println("windlass: " + message);
        return 1;
    }

    /**
     * This build's own images that the nodes do not hold: no registry serves them, so a pod could never start.
     * Images from a hub are left to the pull, whose failure the wait reports.
     */
    private static List<String> unreachable(KubernetesClient client, String operatorImage, ObjectNode userSpec,
                                            ResolvedValues resolved, PrintWriter out) throws InterruptedException {
        MeshVersion version = VersionCatalog.builtIn().require(userSpec.path("version").asText());
        MeshContext mesh = new MeshContext("install", resolved.spec(), version, Revisions.DEFAULT);
        List<String> images = new ArrayList<>();
        if (operatorImage != null) {
            images.add(operatorImage);
        }
        images.addAll(List.of(mesh.image(version.images().discovery()), mesh.image(version.images().proxy())));
        return new NodeImages(client).awaitListed(images.stream().filter(i -> ImageRef.parse(i).unpublished()).toList(), out);
    }

    /** What uninstall --purge deletes and this install would apply again: the operator's namespace and the CRDs. */
    private static List<HasMetadata> purgedByUninstall() {
        List<HasMetadata> objects = new ArrayList<>(MeshCrds.all());
        OperatorResources.render(OperatorResources.image(Optional.empty()), Optional.empty()).stream()
                .filter(Namespace.class::isInstance).forEach(objects::add);
        return objects;
    }

    private static Optional<String> hubOf(ResolvedValues resolved) {
        String hub = resolved.spec().values().global().hub();
        return hub == null || hub.isEmpty() ? Optional.empty() : Optional.of(hub);
    }

    /** Server-side applies the MeshControlPlane {@code name} with this spec, as this CLI's field manager. */
    static void applyMesh(KubernetesClient client, String name, ObjectNode userSpec) {
        GenericKubernetesResource mcp = new GenericKubernetesResourceBuilder()
                .withApiVersion(MeshControlPlane.GROUP + "/" + MeshControlPlane.VERSION).withKind("MeshControlPlane")
                .withNewMetadata().withName(name).endMetadata()
                .withAdditionalProperties(Map.of("spec", Yaml.MAPPER.convertValue(userSpec, Map.class)))
                .build();
        client.resource(mcp).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
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

    /** Installs the operator when absent; an installed one is kept as it is, except that a stalled image pull is retried now. */
    private void ensureOperator(KubernetesClient client, PrintWriter out, Deployment installed, String image) {
        if (installed != null) {
            String running = installed.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage();
            // Said, since a --hub or --operator-image given now does not reach an operator installed before.
            out.println("✔ the operator is already installed (" + running + ")"
                    + (running.equals(image) ? "" : "; kept, not replaced by " + image + ": windlass uninstall --purge first to change it"));
            new OperatorWatch(client).restartPendingPulls(out);
            return;
        }
        for (HasMetadata object : OperatorResources.render(image, Optional.ofNullable(values.platform))) {
            client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        }
        out.println("✔ the operator is installed (" + image + ")");
    }
}
