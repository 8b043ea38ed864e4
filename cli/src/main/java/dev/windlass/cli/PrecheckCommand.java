package dev.windlass.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.injector.DataPlaneVersions;
import dev.windlass.profiles.Yaml;
import dev.windlass.upgrade.ValuesMigrations;
import dev.windlass.api.v1alpha1.MeshControlPlane;
import dev.windlass.api.v1alpha1.UpdateStrategy;
import dev.windlass.upgrade.SemVer;
import dev.windlass.upgrade.SkewPolicy;
import dev.windlass.upgrade.VersionCatalog;
import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "precheck", mixinStandardHelpOptions = true,
        description = "Tell, before anything is applied, whether a mesh may move to a version (the operator's own skew rules), "
                + "and which injected proxies would then be outside the supported skew. Exit 0 allowed, 1 refused.")
final class PrecheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--to", required = true, description = "The version to upgrade to.")
    String to;

    @Option(names = "--name", defaultValue = "windlass", description = "The MeshControlPlane (default: ${DEFAULT-VALUE}).")
    String name;

    @Override
    public Integer call() {
        try {
            SemVer.parse(to);
        } catch (IllegalArgumentException e) {
            throw new InputException("--to: '" + to + "' is not a version such as 0.2.0");
        }
        try (KubernetesClient client = cluster.client()) {
            MeshControlPlane mcp = client.resources(MeshControlPlane.class).withName(name).get();
            if (mcp == null) {
                throw new InputException("--name: meshcontrolplane/" + name + " does not exist");
            }
            return check(client, spec.commandLine().getOut(), mcp, to) ? 0 : 1;
        }
    }

    /**
     * Prints whether the mesh may move to {@code to} (the operator's skew rules), what the values migrations change,
     * and which proxies would fall outside the supported skew; returns whether the move is allowed.
     */
    static boolean check(KubernetesClient client, PrintWriter out, MeshControlPlane mcp, String to) {
        String from = mcp.getStatus() != null && mcp.getStatus().version() != null ? mcp.getStatus().version() : mcp.getSpec().version();
        SkewPolicy.Strategy strategy = strategy(mcp);
        SkewPolicy.Verdict verdict = new SkewPolicy(VersionCatalog.builtIn()).check(from, to, strategy);
        out.println((verdict.allowed() ? "✔ " : "✘ ") + "control plane " + from + " → " + to + " with " + strategyName(strategy)
                + (verdict.allowed() ? ": allowed" : ": " + verdict.message()));
        reportValues(out, mcp, from, to);
        reportProxies(out, DataPlaneVersions.of(client.pods().inAnyNamespace().list().getItems()), to, strategy);
        return verdict.allowed();
    }

    /** What the values migrations will rewrite in the spec the operator renders from (the object itself is left alone). */
    private static void reportValues(PrintWriter out, MeshControlPlane mcp, String from, String to) {
        ObjectNode values = Yaml.MAPPER.valueToTree(mcp.getSpec());
        List<String> changes = ValuesMigrations.builtIn().migrate(values, from, to);
        out.println(changes.isEmpty() ? "✔ values: nothing to migrate" : "values migrations that will apply:");
        changes.forEach(change -> out.println("  " + change));
        VersionCatalog.builtIn().find(to).ifPresent(target ->
                target.deprecations().forEach(d -> out.println("⚠ deprecated in " + to + ": " + d)));
    }

    /** A proxy may trail the control plane by as many minors as the strategy moves at once. */
    private static void reportProxies(PrintWriter out, DataPlaneVersions dataPlane, String to, SkewPolicy.Strategy strategy) {
        SemVer target = SemVer.parse(to);
        int allowedMinors = strategy == SkewPolicy.Strategy.REVISION_BASED ? 2 : 1;
        List<DataPlaneVersions.Proxy> outside = dataPlane.proxies().stream().filter(p -> {
            try {
                SemVer version = SemVer.parse(p.version());
                return version.major() != target.major() || target.minor() - version.minor() > allowedMinors;
            } catch (IllegalArgumentException e) {
                return true;
            }
        }).toList();
        out.println("data plane: " + dataPlane.summary());
        if (outside.isEmpty()) {
            out.println("✔ every proxy is within the supported skew of " + to);
        } else {
            out.println("✘ proxies outside the supported skew of " + to + "; restart them after the upgrade:");
            outside.forEach(p -> out.println("  " + p.namespace() + "/" + p.pod() + " " + p.version()));
        }
    }

    private static SkewPolicy.Strategy strategy(MeshControlPlane mcp) {
        return UpdateStrategy.isRevisionBased(mcp.getSpec().updateStrategy())
                ? SkewPolicy.Strategy.REVISION_BASED : SkewPolicy.Strategy.IN_PLACE;
    }

    private static String strategyName(SkewPolicy.Strategy strategy) {
        return strategy == SkewPolicy.Strategy.REVISION_BASED ? "RevisionBased" : "InPlace";
    }
}
