package dev.windlass.cli;

import dev.windlass.injector.DataPlaneVersions;
import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.upgrade.VersionCatalog;
import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

@Command(name = "version", mixinStandardHelpOptions = true,
        description = "Print the CLI version and the mesh versions it can install; with --remote, also the versions running in the cluster.")
final class VersionCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--remote", description = "Also print the control plane version of each mesh and the data plane versions in use.")
    boolean remote;

    @Mixin
    ClusterOptions cluster;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("windlass version %s%ninstallable mesh versions: %s%n", cliVersion(), VersionCatalog.builtIn().versionList());
        if (remote) {
            try (KubernetesClient client = cluster.client()) {
                for (MeshControlPlane mcp : client.resources(MeshControlPlane.class).list().getItems()) {
                    String version = mcp.getStatus() == null ? null : mcp.getStatus().version();
                    out.printf("control plane version: %s (meshcontrolplane/%s)%n", version == null ? "not installed" : version,
                            mcp.getMetadata().getName());
                }
                out.printf("data plane version: %s%n", DataPlaneVersions.of(client.pods().inAnyNamespace().list().getItems()).summary());
            }
        }
    }

    static String cliVersion() {
        String version = WindlassCli.class.getPackage().getImplementationVersion();
        return version == null ? "unknown" : version;
    }

    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"windlass " + cliVersion()};
        }
    }
}
