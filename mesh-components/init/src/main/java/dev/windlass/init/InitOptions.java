package dev.windlass.init;

import java.util.EnumMap;
import java.util.Map;

/**
 * What one run of the init program was asked to do: the capture config, and whether to only print the rules.
 * Read from the environment and the command line; a flag wins over its environment variable.
 */
public record InitOptions(CaptureConfig config, boolean dryRun, boolean help) {
    public static final String DRY_RUN = "--dry-run";
    public static final String HELP = "--help";

    /**
     * @throws ConfigException        for an unknown argument or a flag without a value
     * @throws InvalidValueException  for a value that cannot be used; names the variable or flag and the value
     */
    public static InitOptions parse(String[] args, Map<String, String> env) {
        Map<TrafficSetting, String> flags = new EnumMap<>(TrafficSetting.class);
        boolean dryRun = false;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals(DRY_RUN)) {
                dryRun = true;
            } else if (arg.equals(HELP) || arg.equals("-h")) {
                help = true;
            } else {
                TrafficSetting setting = settingForFlag(arg);
                int eq = arg.indexOf('=');
                if (eq >= 0) {
                    flags.put(setting, arg.substring(eq + 1));
                } else if (i + 1 < args.length) {
                    flags.put(setting, args[++i]);
                } else {
                    throw new ConfigException(setting.flag() + " needs a value");
                }
            }
        }
        return new InitOptions(config(flags, env), dryRun, help);
    }

    private static CaptureConfig config(Map<TrafficSetting, String> flags, Map<String, String> env) {
        CaptureConfig config = CaptureConfig.defaults();
        for (TrafficSetting setting : TrafficSetting.values()) {
            if (flags.containsKey(setting)) {
                config = setting.applyTo(config, flags.get(setting), setting.flag());
            } else if (env.get(setting.envVar()) != null) {
                config = setting.applyTo(config, env.get(setting.envVar()), setting.envVar());
            }
        }
        return config;
    }

    private static TrafficSetting settingForFlag(String arg) {
        String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        for (TrafficSetting setting : TrafficSetting.values()) {
            if (setting.flag().equals(name)) {
                return setting;
            }
        }
        throw new ConfigException("unknown argument " + arg);
    }

    /** The usage text for {@code --help}. */
    public static String usage() {
        StringBuilder text = new StringBuilder("""
                Usage: windlass-init [--dry-run] [--SETTING=VALUE]...

                Writes the nat rules that send the pod's TCP traffic through the windlass-proxy sidecar
                (inbound to 15006, outbound to 15001) and applies them with iptables-restore --noflush.
                The rules are printed on standard output first.

                  --dry-run   print the rules, apply nothing
                  --help      this text

                Settings (flag, or environment variable; the flag wins), as in the pod annotations:
                """);
        for (TrafficSetting setting : TrafficSetting.values()) {
            text.append(String.format("  %-30s %-28s %s%n", setting.flag(), setting.envVar(), setting.annotation()));
        }
        return text.append("""

                Exit codes: 0 done, 1 iptables-restore failed or is missing, 2 bad argument or value.
                """).toString();
    }
}
