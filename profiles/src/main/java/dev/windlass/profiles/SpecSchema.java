package dev.windlass.profiles;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windlass.api.crd.MeshControlPlaneCrd;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks values against the OpenAPI schema of the generated MeshControlPlane CRD, so that the CLI refuses
 * offline what the apiserver would refuse at admission: unknown keys, wrong types, bounds, patterns, enums.
 * CEL rules are left to the apiserver.
 */
public final class SpecSchema {
    private static final SpecSchema INSTANCE = new SpecSchema(loadSpecSchema());

    private final JsonNode spec;

    private SpecSchema(JsonNode spec) {
        this.spec = spec;
    }

    public static SpecSchema get() {
        return INSTANCE;
    }

    /** The schema of the element at {@code path} inside spec, such as {@code components.ingressGateways.items}. */
    public JsonNode at(String... path) {
        JsonNode node = spec;
        for (String step : path) {
            node = step.equals("items") ? node.path("items") : node.path("properties").path(step);
        }
        return node;
    }

    /** Validates a partial layer: nulls are removal markers and required fields may be missing. */
    public void validateLayer(String source, JsonNode values) {
        check(source, "", values, spec, false);
    }

    /** Validates the fully merged values. */
    public void validateComplete(String source, JsonNode values) {
        check(source, "", values, spec, true);
    }

    public void validateLayer(String source, JsonNode values, JsonNode schema) {
        check(source, "", values, schema, false);
    }

    private void check(String source, String path, JsonNode value, JsonNode schema, boolean complete) {
        if (value == null || value.isNull() || schema.path("x-kubernetes-preserve-unknown-fields").asBoolean()
                && !schema.has("properties")) {
            return;
        }
        checkType(source, path, value, schema);
        if (value.isObject()) {
            checkObject(source, path, value, schema, complete);
        } else if (value.isArray()) {
            checkArray(source, path, value, schema, complete);
        } else {
            checkScalar(source, path, value, schema);
        }
    }

    private void checkObject(String source, String path, JsonNode value, JsonNode schema, boolean complete) {
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.path("additionalProperties");
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            String childPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            JsonNode childSchema = properties.get(field.getKey());
            if (childSchema == null && additional.isObject()) {
                childSchema = additional;
            }
            if (childSchema == null) {
                throw new ValuesException(source, childPath, "unknown key");
            }
            check(source, childPath, field.getValue(), childSchema, complete);
        }
        if (complete) {
            for (JsonNode required : schema.path("required")) {
                if (value.path(required.asText()).isMissingNode()) {
                    throw new ValuesException(source, join(path, required.asText()), "is required");
                }
            }
        }
    }

    private void checkArray(String source, String path, JsonNode value, JsonNode schema, boolean complete) {
        if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
            throw new ValuesException(source, path, "at most " + schema.get("maxItems").asInt() + " items are allowed");
        }
        for (int i = 0; i < value.size(); i++) {
            check(source, path + "[" + i + "]", value.get(i), schema.path("items"), complete);
        }
    }

    private void checkScalar(String source, String path, JsonNode value, JsonNode schema) {
        if (schema.has("minimum") && value.isNumber() && value.asDouble() < schema.get("minimum").asDouble()) {
            throw new ValuesException(source, path, "must be at least " + number(schema.get("minimum")) + ", got " + value.asText());
        }
        if (schema.has("maximum") && value.isNumber() && value.asDouble() > schema.get("maximum").asDouble()) {
            throw new ValuesException(source, path, "must be at most " + number(schema.get("maximum")) + ", got " + value.asText());
        }
        if (schema.has("pattern") && value.isTextual()
                && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find()) {
            throw new ValuesException(source, path, "'" + value.asText() + "' does not match " + schema.get("pattern").asText());
        }
        if (schema.has("maxLength") && value.isTextual() && value.asText().length() > schema.get("maxLength").asInt()) {
            throw new ValuesException(source, path, "is longer than " + schema.get("maxLength").asInt() + " characters");
        }
        if (schema.has("enum") && !containsText(schema.get("enum"), value.asText())) {
            throw new ValuesException(source, path, "'" + value.asText() + "' is not one of " + schema.get("enum"));
        }
    }

    private static void checkType(String source, String path, JsonNode value, JsonNode schema) {
        if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                throw new ValuesException(source, path, "must be an integer or a string");
            }
            return;
        }
        String type = schema.path("type").asText();
        boolean ok = switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> true;
        };
        if (!ok) {
            throw new ValuesException(source, path, "must be " + article(type) + ", got " + describe(value));
        }
    }

    private static String describe(JsonNode value) {
        if (value.isObject()) {
            return "a map";
        }
        if (value.isArray()) {
            return "a list";
        }
        return "'" + value.asText() + "'";
    }

    private static String article(String type) {
        return switch (type) {
            case "object" -> "a map";
            case "array" -> "a list";
            case "integer" -> "an integer";
            default -> "a " + type;
        };
    }

    private static String number(JsonNode n) {
        return n.asDouble() == Math.rint(n.asDouble()) ? String.valueOf(n.asLong()) : n.asText();
    }

    private static boolean containsText(JsonNode array, String text) {
        for (JsonNode item : array) {
            if (item.asText().equals(text)) {
                return true;
            }
        }
        return false;
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static JsonNode loadSpecSchema() {
        try (InputStream in = MeshControlPlaneCrd.open()) {
            JsonNode crd = Yaml.MAPPER.readTree(in);
            return crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema").path("properties").path("spec");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
