package dev.windlass.init;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rule text for the default config and for each traffic annotation, compared byte for byte with
 * src/test/resources/golden/NAME.rules. The config comes from environment variables, as the init container gets it.
 * After an intended change, regenerate with
 * {@code UPDATE_GOLDEN=1 ./mvnw -pl mesh-components/init -am test -Dtest=NatRulesGoldenTest -Dsurefire.failIfNoSpecifiedTests=false}
 * and review the diff.
 */
class NatRulesGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden");

    /** One golden file: its name and the environment the init container would see. */
    record GoldenCase(String name, Map<String, String> env) {
        @Override
        public String toString() {
            return name;
        }

        CaptureConfig config() {
            return InitOptions.parse(new String[0], env).config();
        }

        Path file() {
            return GOLDEN.resolve(name + ".rules");
        }
    }

    static List<GoldenCase> cases() {
        return List.of(
                new GoldenCase("default", Map.of()),
                new GoldenCase("include-outbound-ip-ranges",
                        Map.of("INCLUDE_OUTBOUND_IP_RANGES", "10.96.0.0/12,10.244.0.0/16")),
                new GoldenCase("include-outbound-ip-ranges-empty", Map.of("INCLUDE_OUTBOUND_IP_RANGES", "")),
                new GoldenCase("include-outbound-ip-ranges-loopback",
                        Map.of("INCLUDE_OUTBOUND_IP_RANGES", "127.0.0.0/8,10.0.0.0/8")),
                new GoldenCase("exclude-outbound-ip-ranges",
                        Map.of("EXCLUDE_OUTBOUND_IP_RANGES", "169.254.169.254/32, 10.0.0.0/8")),
                new GoldenCase("include-inbound-ports", Map.of("INCLUDE_INBOUND_PORTS", "9080,8080,15021")),
                new GoldenCase("include-inbound-ports-empty", Map.of("INCLUDE_INBOUND_PORTS", "")),
                new GoldenCase("exclude-inbound-ports", Map.of("EXCLUDE_INBOUND_PORTS", "9090,8443")),
                new GoldenCase("exclude-outbound-ports", Map.of("EXCLUDE_OUTBOUND_PORTS", "5432,3306")),
                new GoldenCase("all-annotations", Map.of(
                        "INCLUDE_OUTBOUND_IP_RANGES", "10.96.0.0/12",
                        "EXCLUDE_OUTBOUND_IP_RANGES", "10.96.0.1/32",
                        "INCLUDE_INBOUND_PORTS", "8080,9090",
                        "EXCLUDE_INBOUND_PORTS", "9090",
                        "EXCLUDE_OUTBOUND_PORTS", "6379")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void rendersAsTheGoldenFile(GoldenCase goldenCase) throws IOException {
        String rendered = NatRules.of(goldenCase.config()).toRestoreInput();
        if (System.getenv("UPDATE_GOLDEN") != null) {
            Files.createDirectories(GOLDEN);
            Files.writeString(goldenCase.file(), rendered);
        }
        assertThat(goldenCase.file()).as("golden file; create it with UPDATE_GOLDEN=1").exists();
        assertThat(rendered).isEqualTo(Files.readString(goldenCase.file()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void isDeterministic(GoldenCase goldenCase) {
        assertThat(NatRules.of(goldenCase.config()).toRestoreInput())
                .isEqualTo(NatRules.of(goldenCase.config()).toRestoreInput());
    }
}
