package dev.windlass.cli;

import dev.windlass.upgrade.VersionCatalog;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the CLI version and the mesh versions it can install.")
final class VersionCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().printf("windlass version %s%ninstallable mesh versions: %s%n",
                cliVersion(), VersionCatalog.builtIn().versionList());
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
