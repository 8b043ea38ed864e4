package dev.windlass.api.v1alpha1;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.stream.Collectors;

/** Turns a stored spec into the typed one, or into an error that names the field Java could not read. */
final class SpecReader {
    private static final ObjectMapper JACKSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    record Result(MeshControlPlaneSpec spec, String error) {
    }

    private SpecReader() {
    }

    static Result read(JsonNode spec) {
        if (spec == null || spec.isNull()) {
            return new Result(null, null);
        }
        try {
            return new Result(JACKSON.treeToValue(spec, MeshControlPlaneSpec.class), null);
        } catch (JacksonException e) {
            return new Result(null, describe(e));
        }
    }

    /** {@code spec.components.discovery.k8s.replicas: Numeric value (2147483648) out of range of int ...}. */
    private static String describe(JacksonException e) {
        String field = e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                ? mapping.getPath().stream()
                .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("", "spec", ""))
                : "spec";
        String reason = e.getOriginalMessage().lines().findFirst().orElse("cannot be read");
        return field + ": " + reason;
    }
}
