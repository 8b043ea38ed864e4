package dev.windlass.cli;

import dev.windlass.profiles.render.MeshRenderer;
import dev.windlass.upgrade.VersionCatalog;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code windlass verify-install [--profile P] [-f FILE] [--set K=V] [--revision R]}: renders the mesh as
 * {@code windlass manifest generate} does and checks each object against the cluster. Exit code 1 when one fails.
 */
@Command(name = "verify-install", mixinStandardHelpOptions = true,
        description = "Check that every object of the rendered mesh exists in the cluster and its Deployments are ready, "
                + "like istioctl verify-install.")
final class VerifyInstallCommand implements Callable<Integer> {
    @Mixin
    ValuesOptions values;

    @Option(names = "--revision", defaultValue = "default", description = "Revision name (default: ${DEFAULT-VALUE}).")
    String revision;

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ManifestCommand.checkRevision(revision);
        List<HasMetadata> rendered = new MeshRenderer(VersionCatalog.builtIn())
                .render(values.instance(), values.resolve().spec(), revision, true);
        try (KubernetesClient client = cluster.client()) {
            VerifyInstall.Report report = VerifyInstall.check(rendered, object -> live(client, object));
            spec.commandLine().getOut().print(report.text());
            return report.failed() == 0 ? 0 : 1;
        }
    }

    private static HasMetadata live(KubernetesClient client, HasMetadata object) {
        try {
            return client.resource(object).get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return null;
            }
            throw e;
        }
    }
}
