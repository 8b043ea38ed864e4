package dev.windlass.proxy.testing;

import dev.windlass.testsupport.netns.Shell;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * h2spec (github.com/summerwind/h2spec), the HTTP/2 conformance tool, built once from its Go module into
 * {@code ~/.cache/windlass/tools/h2spec-<version>/} and run against a port. v2.2.1 is the newest release the Go
 * module proxy here serves (v2.3.0 and later are refused); it has no go.mod, so its dependencies are pinned here
 * in a small build module, and the build gives the same binary on every machine.
 */
public final class H2spec {
    public static final String VERSION = "v2.2.1";
    private static final String MODULE = "github.com/summerwind/h2spec";
    private static final String GO_MOD = """
            module windlass.dev/tools/h2spec

            go 1.26.0

            require (
            \tgithub.com/summerwind/h2spec v2.2.1+incompatible
            \tgithub.com/fatih/color v1.19.0
            \tgithub.com/spf13/cobra v1.10.2
            \tgolang.org/x/net v0.63.0
            )
            """;

    /** One case that did not pass: its section and description, and h2spec's expected/actual text. */
    public record Problem(String section, String testCase, String kind, String detail) {
        @Override
        public String toString() {
            return section + " " + testCase + " [" + kind + "] " + detail.replaceAll("\\s+", " ");
        }
    }

    /** The JUnit report of one run, and h2spec's own output (its summary is the last lines). */
    public record Report(int tests, List<Problem> problems, String output) {
        public List<Problem> of(String kind) {
            return problems.stream().filter(p -> p.kind.equals(kind)).toList();
        }
    }

    private H2spec() {
    }

    /** The h2spec binary, built now if it is not cached; fails, naming what is missing, when Go is not installed. */
    public static Path binary() throws IOException {
        Path dir = Path.of(System.getProperty("user.home"), ".cache", "windlass", "tools", "h2spec-" + VERSION);
        Path binary = dir.resolve("h2spec");
        if (Files.isExecutable(binary)) {
            return binary;
        }
        if (!Shell.onPath("go")) {
            throw new AssertionError("h2spec " + VERSION + " is built from its Go module " + MODULE
                    + " and `go` is not on PATH: install Go 1.26 or later (or put an h2spec " + VERSION + " at " + binary + ")");
        }
        Path build = Files.createDirectories(dir.resolveSibling("h2spec-" + VERSION + ".build"));
        Files.writeString(build.resolve("go.mod"), GO_MOD);
        Shell.run(List.of("nice", "-n", "10", "go", "-C", build.toString(), "build", "-trimpath", "-ldflags",
                        "-X main.VERSION=" + VERSION.substring(1), "-o", binary.toString(), MODULE + "/cmd/h2spec"),
                Map.of("GOFLAGS", "-mod=mod", "GOTOOLCHAIN", "local", "CGO_ENABLED", "0"), null, Duration.ofMinutes(10))
                .orFail();
        return binary;
    }

    /** Runs every case (generic, http2, hpack) against {@code host:port} over h2c, with a JUnit report in {@code dir}. */
    public static Report run(Path binary, String host, int port, Path dir) throws Exception {
        Path junit = dir.resolve("h2spec-report.xml");
        Shell.Result result = Shell.run(List.of(binary.toString(), "-h", host, "-p", String.valueOf(port), "-j",
                junit.toString()), Map.of(), null, Duration.ofMinutes(5));
        if (!Files.exists(junit)) {
            throw new AssertionError("h2spec wrote no report: " + result);
        }
        return parse(junit, result.output());
    }

    private static Report parse(Path junit, String output) throws Exception {
        var document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
        NodeList cases = document.getElementsByTagName("testcase");
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < cases.getLength(); i++) {
            Element testCase = (Element) cases.item(i);
            for (String kind : new String[]{"failure", "error", "skipped"}) {
                NodeList found = testCase.getElementsByTagName(kind);
                if (found.getLength() > 0) {
                    problems.add(new Problem(testCase.getAttribute("package"), testCase.getAttribute("classname"),
                            kind, found.item(0).getTextContent()));
                }
            }
        }
        return new Report(cases.getLength(), problems, output);
    }
}
