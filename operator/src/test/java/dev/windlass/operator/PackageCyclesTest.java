package dev.windlass.operator;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's packages form layers (conditions, install, revisions, status, tags, then the reconcilers), with
 * no package reaching back up: read from the compiled classes by the JDK's jdeps, as the build produced them.
 */
class PackageCyclesTest {
    private static final Pattern EDGE = Pattern.compile("^\\s+(dev\\.windlass\\.operator[\\w.]*)\\s+->\\s+(dev\\.windlass\\.operator[\\w.]*)\\s");

    @Test
    void noOperatorPackageDependsOnOneThatDependsBackOnIt() throws Exception {
        Path classes = Path.of(MeshControlPlaneReconciler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, Set<String>> edges = dependencies(classes);
        // The layers as they are today, so that a jdeps run that read nothing cannot pass.
        assertThat(edges.get("dev.windlass.operator.status")).as("what status uses")
                .contains("dev.windlass.operator.install", "dev.windlass.operator.revisions");
        assertThat(edges.get("dev.windlass.operator.revisions")).as("what revisions uses")
                .contains("dev.windlass.operator.install", "dev.windlass.operator.conditions");
        List<String> cycles = new ArrayList<>();
        for (String from : edges.keySet()) {
            for (String to : edges.get(from)) {
                if (reaches(edges, to, from, new HashSet<>())) {
                    cycles.add(from + " -> " + to);
                }
            }
        }
        assertThat(cycles).as("package dependencies that are part of a cycle").isEmpty();
    }

    private static Map<String, Set<String>> dependencies(Path classes) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int code = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", "-filter:none",
                "-e", "dev\\.windlass\\.operator.*", classes.toString());
        assertThat(code).as(out.toString()).isZero();
        Map<String, Set<String>> edges = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            Matcher m = EDGE.matcher(line + " ");
            if (m.find() && !m.group(1).equals(m.group(2))) {
                edges.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
            }
        }
        return edges;
    }

    private static boolean reaches(Map<String, Set<String>> edges, String from, String target, Set<String> seen) {
        if (from.equals(target)) {
            return true;
        }
        if (!seen.add(from)) {
            return false;
        }
        for (String next : edges.getOrDefault(from, Set.of())) {
            if (reaches(edges, next, target, seen)) {
                return true;
            }
        }
        return false;
    }
}
