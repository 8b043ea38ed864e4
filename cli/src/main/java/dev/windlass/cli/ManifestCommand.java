package dev.windlass.cli;

import dev.windlass.profiles.ResolvedValues;
import dev.windlass.profiles.Yaml;
import dev.windlass.profiles.render.MeshRenderer;
import dev.windlass.profiles.render.OperatorResources;
import dev.windlass.upgrade.VersionCatalog;
import io.fabric8.kubernetes.api.model.HasMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;

@Command(name = "manifest", mixinStandardHelpOptions = true, description = "Render the Kubernetes objects of a mesh.",
        subcommands = ManifestCommand.Generate.class)
final class ManifestCommand {
    static void checkRevision(String revision) {
        if (!revision.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || revision.length() > 40) {
            throw new InputException("--revision: '" + revision + "' is not a DNS label of at most 40 characters");
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Print every object of the mesh as multi-document YAML, ready for kubectl apply -f -. "
                    + "The operator applies exactly these objects, except the two ClusterRoles of its own install printed first.")
    static final class Generate implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        ValuesOptions values;

        @Option(names = "--revision", defaultValue = "default",
                description = "Revision name; non-default revisions suffix their object names (default: ${DEFAULT-VALUE}).")
        String revision;

        @Option(names = "--include-namespace", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Also render the mesh namespace (default: ${DEFAULT-VALUE}).")
        boolean includeNamespace;

        @Override
        public void run() {
            checkRevision(revision);
            ResolvedValues resolved = values.resolve();
            // The Secret access of gateways and the discovery server is in the operator install's ClusterRoles, which
            // the mesh binds; printed first, so that kubectl apply of this output works without the operator too.
            List<HasMetadata> objects = new ArrayList<>(OperatorResources.boundRoles());
            objects.addAll(new MeshRenderer(VersionCatalog.builtIn()).render(values.instance(), resolved.spec(), revision, includeNamespace));
            spec.commandLine().getOut().print(Yaml.writeAll(objects));
        }
    }
}
