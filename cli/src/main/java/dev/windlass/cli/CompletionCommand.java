package dev.windlass.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code windlass completion bash|zsh|fish}: a shell completion script, as {@code istioctl completion}. Bash is
 * picocli's generated script; zsh runs the same script through bashcompinit; fish gets {@code complete} lines for
 * every command and long option.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print a shell completion script: source <(windlass completion bash), or for zsh the same with zsh; "
                + "windlass completion fish > ~/.config/fish/completions/windlass.fish.")
final class CompletionCommand implements Callable<Integer> {
    private static final String ZSH_PREAMBLE = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SHELL", description = "bash, zsh or fish.")
    String shell;

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        String script = switch (shell == null ? "" : shell) {
            case "bash" -> AutoComplete.bash("windlass", root);
            case "zsh" -> ZSH_PREAMBLE + AutoComplete.bash("windlass", root);
            case "fish" -> fish(root.getCommandSpec());
            default -> throw new InputException("SHELL: " + (shell == null ? "one of bash, zsh, fish is required"
                    : "'" + shell + "' is not one of bash, zsh, fish"));
        };
        spec.commandLine().getOut().print(script);
        return 0;
    }

    /** One {@code complete} line per command (after its parent) and per long option (after its command). */
    static String fish(CommandSpec root) {
        StringBuilder out = new StringBuilder("complete -c windlass -f\n");
        fish(root, "__fish_use_subcommand", out);
        return out.toString();
    }

    private static void fish(CommandSpec command, String condition, StringBuilder out) {
        for (Map.Entry<String, CommandLine> sub : command.subcommands().entrySet()) {
            CommandSpec child = sub.getValue().getCommandSpec();
            if (!child.name().equals(sub.getKey())) {
                continue; // an alias
            }
            out.append("complete -c windlass -n '").append(condition).append("' -a ").append(child.name())
                    .append(" -d ").append(quote(first(child.usageMessage().description()))).append('\n');
            String seen = "__fish_seen_subcommand_from " + child.name();
            for (OptionSpec option : child.options()) {
                if (option.longestName().startsWith("--")) {
                    out.append("complete -c windlass -n '").append(seen).append("' -l ").append(option.longestName().substring(2))
                            .append(option.arity().max() > 0 ? " -r" : "")
                            .append(" -d ").append(quote(first(option.description()))).append('\n');
                }
            }
            fish(child, seen, out);
        }
    }

    private static String first(String[] description) {
        if (description.length == 0) {
            return "";
        }
        String text = description[0].replaceAll("\\$\\{[A-Z-]+}", "");
        int stop = text.indexOf(". ");
        return stop > 0 ? text.substring(0, stop) : text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }

    private static String quote(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
