package dev.windlass.init;

import java.io.PrintStream;
import java.util.Map;

/**
 * The windlass-init program: reads the capture settings, prints the nat rules, and applies them with
 * {@code iptables-restore --noflush} (or only prints them with {@code --dry-run}).
 *
 * <p>Standard output carries exactly the iptables-restore input; progress and errors go to standard error.
 * Exit codes: {@value #OK} done, {@value #APPLY_FAILED} iptables-restore failed or is missing,
 * {@value #BAD_CONFIG} bad argument or value.
 */
public final class Main {
    public static final int OK = 0;
    public static final int APPLY_FAILED = 1;
    public static final int BAD_CONFIG = 2;
    private static final String PREFIX = "windlass-init: ";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** The whole program, with its environment and streams passed in; returns the exit code. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        InitOptions options;
        try {
            options = InitOptions.parse(args, env);
        } catch (ConfigException e) {
            err.println(PREFIX + e.getMessage());
            err.println(PREFIX + "see --help");
            return BAD_CONFIG;
        }
        if (options.help()) {
            out.print(InitOptions.usage());
            return OK;
        }
        logSettings(options.config(), err);
        String rules = NatRules.of(options.config()).toRestoreInput();
        if (options.dryRun()) {
            err.println(PREFIX + "--dry-run: these rules would be applied with iptables-restore --noflush");
            out.print(rules);
            out.flush();
            return OK;
        }
        return apply(rules, env, out, err);
    }

    private static int apply(String rules, Map<String, String> env, PrintStream out, PrintStream err) {
        err.println(PREFIX + "applying these rules with " + IptablesRestore.BINARY + " --noflush");
        out.print(rules);
        out.flush();
        try {
            IptablesRestore restore = IptablesRestore.onPath(env.get("PATH"), IptablesRestore.DEFAULT_TIMEOUT);
            String output = restore.apply(rules);
            if (!output.isBlank()) {
                err.print(output);
            }
            err.println(PREFIX + "rules applied");
            return OK;
        } catch (IptablesException e) {
            err.println(PREFIX + e.getMessage());
            return APPLY_FAILED;
        }
    }

    private static void logSettings(CaptureConfig config, PrintStream err) {
        StringBuilder line = new StringBuilder(PREFIX + "proxy uid/gid " + config.proxyUid() + "/" + config.proxyGid()
                + ", inbound capture " + config.inboundCapturePort()
                + ", outbound capture " + config.outboundCapturePort());
        for (TrafficSetting setting : TrafficSetting.values()) {
            line.append(", ").append(setting.envVar()).append("=\"").append(setting.valueIn(config)).append('"');
        }
        err.println(line);
    }
}
