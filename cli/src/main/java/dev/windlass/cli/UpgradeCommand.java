package dev.windlass.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.contract.Revisions;
import dev.windlass.injector.DataPlaneVersions;
import dev.windlass.upgrade.SemVer;
import dev.windlass.upgrade.VersionCatalog;
import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code windlass upgrade [-f mcp.yaml] [--set ...] [--version V] [--revision R]}, as istioctl's: the precheck
 * first (nothing is applied when it refuses), then the MeshControlPlane with the new spec, then the install's
 * progress until the mesh is Ready at the new version, and where the proxies stand.
 */
// not mixinStandardHelpOptions: its --version (the CLI's own) would take the place of istioctl's --version V
@Command(name = "upgrade",
        description = "Move an installed mesh to a new version or spec: precheck, apply, and wait until it is Ready. "
                + "Exit 0 Ready, 1 refused by the precheck or not Ready, 2 bad input.")
final class UpgradeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ValuesOptions values;

    @Mixin
    ClusterOptions cluster;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--version", paramLabel = "V", description = "The version to move to (default: the file's spec.version, else the newest this CLI knows).")
    String version;

    @Option(names = "--revision", paramLabel = "R", description = "Upgrade RevisionBased, beside the running revision. The operator names revisions "
            + "<mesh>-<version with dashes> (windlass-0-2-0); R must be that name.")
    String revision;

    @Override
    public Integer call() throws InterruptedException {
        ObjectNode userSpec = spec();
        String to = userSpec.path("version").asText();
        PrintWriter out = spec.commandLine().getOut();
        try (KubernetesClient client = cluster.client()) {
            MeshControlPlane mcp = client.resources(MeshControlPlane.class).withName(values.instance()).get();
            if (mcp == null) {
                return fail("meshcontrolplane/" + values.instance() + " does not exist; windlass install installs a mesh");
            }
            if (!PrecheckCommand.check(client, out, mcp, to)) {
                return fail("the precheck refuses the upgrade to " + to + "; nothing was applied");
            }
            out.println("applying version " + to);
            InstallCommand.applyMesh(client, values.instance(), userSpec);
            if (new MeshProgress(client, out).followApplied(values.instance(), cluster.timeout, cluster.timeout(), " at " + to,
                    spec.commandLine().getErr()) != 0) {
                return 1;
            }
            out.println("data plane: " + DataPlaneVersions.of(client.pods().inAnyNamespace().list().getItems()).summary()
                    + (revision == null ? "; restart the workloads to move their proxies to " + to : ""));
            return 0;
        }
    }

    /** The spec to apply, checked offline: the file and --set, then --version and --revision, which win. */
    private ObjectNode spec() {
        if (version != null) {
            try {
                SemVer.parse(version);
            } catch (IllegalArgumentException e) {
                throw new InputException("--version: '" + version + "' is not a version such as 0.2.0");
            }
            if (VersionCatalog.builtIn().find(version).isEmpty()) {
                throw new InputException("--version: " + version + " is not in this CLI's catalog; see windlass version");
            }
            values.sets.add("version=" + version);
        }
        if (revision != null) {
            values.sets.add("updateStrategy.type=RevisionBased");
        }
        ObjectNode userSpec = values.userSpec();
        String expected = Revisions.revisionName(values.instance(), userSpec.path("version").asText());
        if (revision != null && !revision.equals(expected)) {
            throw new InputException("--revision: '" + revision + "': the operator names this revision " + expected);
        }
        return userSpec;
    }

    private int fail(String message) {
        spec.commandLine().getErr().println("windlass: " + message);
        return 1;
    }
}
