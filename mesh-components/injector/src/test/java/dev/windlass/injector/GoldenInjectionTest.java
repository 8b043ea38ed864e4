package dev.windlass.injector;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Case file (a Namespace and a Pod) + the demo profile's injector ConfigMap → the pod as injected, under
 * src/test/resources/golden, headed by the decision. {@code UPDATE_GOLDEN=1} rewrites the files.
 */
class GoldenInjectionTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "enabled-namespace, default",
            "revision-label, canary",
            "pod-opt-out, default",
            "opt-in-label, default",
            "already-injected, default",
            "probe-rewriting, default",
            "traffic-annotations, default",
            "resource-annotations, default",
            "hold-application, default"})
    void matchesGolden(String name, String revision) throws IOException {
        Fixtures.Case c = Fixtures.load(name);
        Injector.Result result = Fixtures.injector(revision).inject(c.pod(), c.namespace());
        String actual = "# " + (result.injected() ? "injected: " : "not injected: ") + result.decision().reason() + "\n"
                + InjectorJson.yaml(result.pod());
        Path file = GOLDEN.resolve(name + ".yaml");
        if (System.getenv("UPDATE_GOLDEN") != null) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, actual);
        }
        assertThat(file).as("golden file; regenerate with UPDATE_GOLDEN=1").exists();
        assertThat(actual).isEqualTo(Files.readString(file));
    }
}
