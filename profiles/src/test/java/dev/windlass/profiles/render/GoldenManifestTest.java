package dev.windlass.profiles.render;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.windlass.profiles.ProfileCatalog;
import dev.windlass.profiles.ResolvedValues;
import dev.windlass.profiles.SetFlag;
import dev.windlass.profiles.ValuesLayer;
import dev.windlass.profiles.ValuesResolver;
import dev.windlass.profiles.Yaml;
import dev.windlass.upgrade.VersionCatalog;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every profile rendered with the kind overlay, compared byte for byte with src/test/resources/golden.
 * After an intended change, regenerate with {@code UPDATE_GOLDEN=1 ./mvnw -pl profiles -am test} and review the diff.
 */
class GoldenManifestTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    static List<String> profiles() {
        return ProfileCatalog.PROFILES;
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void rendersAsTheGoldenFile(String profile) throws IOException {
        String rendered = render(profile);
        Path golden = GOLDEN.resolve(profile + "-kind.yaml");
        if (System.getenv("UPDATE_GOLDEN") != null) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, rendered);
        }
        assertThat(golden).as("golden file; create it with UPDATE_GOLDEN=1").exists();
        assertThat(rendered).isEqualTo(Files.readString(golden));
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void isDeterministic(String profile) {
        assertThat(render(profile)).isEqualTo(render(profile));
    }

    static String render(String profile) {
        ResolvedValues values = new ValuesResolver(ProfileCatalog.builtIn(), VersionCatalog.builtIn()).resolve(
                new ValuesLayer("test", JsonNodeFactory.instance.objectNode()),
                List.of(SetFlag.parse("profile=" + profile)), Optional.of("kind"));
        List<HasMetadata> objects = new MeshRenderer(VersionCatalog.builtIn()).render("windlass", values.spec(), "default", true);
        return Yaml.writeAll(objects);
    }
}
