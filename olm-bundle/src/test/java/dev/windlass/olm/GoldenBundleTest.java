package dev.windlass.olm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundle and catalog generated from the fixed inputs of {@link Fixture}, compared byte for byte with
 * src/test/resources/golden. After an intended change, regenerate with
 * {@code UPDATE_GOLDEN=1 ./mvnw -pl olm-bundle -am test} and review the diff.
 */
class GoldenBundleTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @Test
    void generatesTheGoldenFiles(@TempDir Path output) throws IOException {
        BundleMain.generate(Fixture.inputs(), new BundleLayout(output, "example-operator", "1.2.3"));
        if (System.getenv("UPDATE_GOLDEN") != null) {
            copy(output, GOLDEN);
        }
        assertThat(files(output)).as("files; create the golden ones with UPDATE_GOLDEN=1").isEqualTo(files(GOLDEN));
        for (Path file : files(output)) {
            assertThat(Files.readString(output.resolve(file))).as(file.toString()).isEqualTo(Files.readString(GOLDEN.resolve(file)));
        }
    }

    @Test
    void isDeterministic(@TempDir Path first, @TempDir Path second) throws IOException {
        BundleMain.generate(Fixture.inputs(), new BundleLayout(first, "example-operator", "1.2.3"));
        BundleMain.generate(Fixture.inputs(), new BundleLayout(second, "example-operator", "1.2.3"));
        for (Path file : files(first)) {
            assertThat(Files.readString(second.resolve(file))).isEqualTo(Files.readString(first.resolve(file)));
        }
    }

    private static List<Path> files(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        for (Path file : files(from)) {
            Files.createDirectories(to.resolve(file).getParent());
            Files.copy(from.resolve(file), to.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
