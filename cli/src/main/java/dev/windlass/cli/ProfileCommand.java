package dev.windlass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windlass.profiles.Profile;
import dev.windlass.profiles.ProfileCatalog;
import dev.windlass.profiles.Yaml;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

@Command(name = "profile", mixinStandardHelpOptions = true, description = "List, show and compare profiles.",
        subcommands = {ProfileCommand.ListProfiles.class, ProfileCommand.Dump.class, ProfileCommand.Diff.class})
final class ProfileCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the profiles, one line each.")
    static final class ListProfiles implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            for (String name : ProfileCatalog.PROFILES) {
                Profile profile = ProfileCatalog.builtIn().profile(name);
                out.printf("%-9s %s%n", name, profile.description());
            }
        }
    }

    @Command(name = "dump", mixinStandardHelpOptions = true,
            description = "Print the fully merged values of a profile, with a file's spec and --set overrides laid over it.")
    static final class Dump implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", description = "Profile name (default: the file's spec.profile, or default).")
        String name;

        @Mixin
        ValuesOptions values;

        @Override
        public void run() {
            if (name != null) {
                values.profile = name;
            }
            spec.commandLine().getOut().print(Yaml.write(values.resolve().tree()));
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true, description = "Show how the merged values of two profiles differ.")
    static final class Diff implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", description = "First profile.")
        String first;

        @Parameters(index = "1", description = "Second profile.")
        String second;

        @Override
        public void run() {
            Map<String, String> a = flatten(dump(first));
            Map<String, String> b = flatten(dump(second));
            PrintWriter out = spec.commandLine().getOut();
            out.printf("--- %s%n+++ %s%n", first, second);
            Set<String> paths = new TreeSet<>(a.keySet());
            paths.addAll(b.keySet());
            for (String path : paths) {
                String before = a.get(path);
                String after = b.get(path);
                if (before != null && !before.equals(after)) {
                    out.printf("- %s: %s%n", path, before);
                }
                if (after != null && !after.equals(before)) {
                    out.printf("+ %s: %s%n", path, after);
                }
            }
        }

        private static JsonNode dump(String profile) {
            ValuesOptions options = new ValuesOptions();
            options.profile = profile;
            return options.resolve().tree();
        }
    }

    /** Every leaf of a values tree by its path, such as components.egressGateways[0].enabled. */
    static Map<String, String> flatten(JsonNode tree) {
        Map<String, String> leaves = new TreeMap<>();
        flatten("", tree, leaves);
        return leaves;
    }

    private static void flatten(String path, JsonNode node, Map<String, String> leaves) {
        if (node.isObject() && !node.isEmpty()) {
            node.properties().forEach(e -> flatten(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), leaves));
        } else if (node.isArray() && !node.isEmpty()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(path + "[" + i + "]", node.get(i), leaves);
            }
        } else {
            leaves.put(path, node.isTextual() ? "'" + node.asText() + "'" : node.toString());
        }
    }
}
