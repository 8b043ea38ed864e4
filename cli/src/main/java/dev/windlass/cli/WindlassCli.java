package dev.windlass.cli;

import dev.windlass.profiles.ValuesException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The windlass command. Every failure is one line on stderr naming the file, flag or path at fault, and exit code 2. */
@Command(name = "windlass", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Install and operate the Windlass service mesh.",
        subcommands = {ProfileCommand.class, ManifestCommand.class, InstallCommand.class, UninstallCommand.class,
                VersionCommand.class, KubeInjectCommand.class, ProxyConfigCommand.class, PrecheckCommand.class,
                AnalyzeCommand.class, CompletionCommand.class, UpgradeCommand.class, ProxyStatusCommand.class,
                DescribeCommand.Experimental.class, VerifyInstallCommand.class, BugReportCommand.class})
public final class WindlassCli implements Runnable {
    public static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The mesh's namespace when neither the command's -i nor windlass -i names one. */
    static final String DEFAULT_MESH_NAMESPACE = "windlass-system";

    /**
     * istioctl's -n and -i are global: they may come before the command ({@code istioctl -n istio-system
     * proxy-config ...}) as well as after it. Commands that take them read these through {@link #namespace} and
     * {@link #meshNamespace}; a command's own flag wins; commands without namespaces ignore them, as istioctl does.
     */
    @CommandLine.Option(names = {"-n", "--namespace"},
            description = "The namespace, for proxy-config, proxy-status, x describe, analyze and bug-report, given before the command.")
    String namespace;

    @CommandLine.Option(names = {"-i", "--mesh-namespace", "--istioNamespace"},
            description = "The mesh's namespace, for proxy-status, x describe and bug-report, given before the command.")
    String meshNamespace;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs the CLI with the given streams; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new WindlassCli());
        // istioctl manifest apply: the install under its old name
        CommandLine apply = new CommandLine(new InstallCommand());
        apply.getCommandSpec().name("apply");
        cli.getSubcommands().get("manifest").addSubcommand("apply", apply);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("windlass: " + message(e));
            return EXIT_BAD_INPUT;
        });
        return cli.execute(args);
    }

    private static String message(Exception e) {
        if (e instanceof ValuesException || e instanceof InputException || e instanceof IllegalArgumentException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** A command's -n: its own when given, else windlass -n, else null. */
    static String namespace(CommandLine.Model.CommandSpec command, String own) {
        return own != null ? own : command.root().userObject() instanceof WindlassCli root ? root.namespace : null;
    }

    /** A command's -i: its own when given, else windlass -i, else {@value #DEFAULT_MESH_NAMESPACE}. */
    static String meshNamespace(CommandLine.Model.CommandSpec command, String own) {
        String given = own != null ? own : command.root().userObject() instanceof WindlassCli root ? root.meshNamespace : null;
        return given != null ? given : DEFAULT_MESH_NAMESPACE;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required; see windlass --help");
    }
}
