package dev.windlass.traffic.istio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windlass.traffic.istio.validation.IstioValidation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every case of invalid-resources.yaml is refused, with an error naming the field's path. */
class InvalidResourcesTest {
    /** The table; the apiserver-level test reads it through {@link IstioTestResources}, from the test-jar. */
    public static List<JsonNode> cases() throws IOException {
        return IstioTestResources.invalidResources();
    }

    static Stream<JsonNode> table() throws IOException {
        return cases().stream();
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("table")
    void isRefusedNamingTheField(JsonNode c) {
        IstioKind kind = IstioKind.ofKind(c.get("kind").asText()).orElseThrow();
        List<FieldError> errors = IstioValidation.errors(kind, c.get("spec"));
        assertThat(errors).as(c.get("name").asText()).isNotEmpty();
        assertThat(errors.stream().map(FieldError::toString))
                .as(c.get("name").asText()).anyMatch(e -> e.contains(c.get("error").asText()));
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("table")
    void hasDistinctNames(JsonNode c) throws IOException {
        assertThat(cases().stream().filter(o -> o.get("name").equals(c.get("name")))).hasSize(1);
    }
}
