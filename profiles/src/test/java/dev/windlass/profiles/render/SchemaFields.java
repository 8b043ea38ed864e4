package dev.windlass.profiles.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every field of a structural OpenAPI schema (the MeshControlPlane spec, values included), down to scalars, maps
 * and lists of scalars; list items are walked as item {@code [0]}. For each field: the layer that makes it matter
 * (every enclosing object with an {@code enabled} switch turned on, list items with their required fields) and a
 * value for it that the schema accepts and that differs from a given one.
 */
final class SchemaFields {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Strings the walk tries, in order, against a field's pattern. */
    private static final List<String> STRING_SAMPLES = List.of("walk", "walk.example", "7", "0.1.0");

    /** One field: its path ({@code String} keys and {@code Integer} indices) and its schema. */
    record Field(List<Object> path, JsonNode schema) {
        String text() {
            StringBuilder out = new StringBuilder();
            for (Object step : path) {
                if (step instanceof Integer index) {
                    out.append('[').append(index).append(']');
                } else {
                    out.append(out.isEmpty() ? "" : ".").append(step);
                }
            }
            return out.toString();
        }

        String name() {
            return (String) path.getLast();
        }
    }

    private SchemaFields() {
    }

    static List<Field> of(JsonNode schema) {
        List<Field> fields = new ArrayList<>();
        walk(List.of(), schema, fields);
        return fields;
    }

    private static void walk(List<Object> path, JsonNode schema, List<Field> out) {
        if (schema.has("properties")) {
            for (Map.Entry<String, JsonNode> property : schema.get("properties").properties()) {
                walk(append(path, property.getKey()), property.getValue(), out);
            }
        } else if ("array".equals(schema.path("type").asText()) && schema.path("items").has("properties")) {
            walk(append(path, 0), schema.get("items"), out);
        } else {
            out.add(new Field(path, schema));
        }
    }

    /**
     * The layer without the field: along its path, {@code enabled: true} beside it in every object that has that
     * switch, and one list item holding its required fields wherever the path enters a list.
     */
    static ObjectNode context(Field field, JsonNode specSchema) {
        ObjectNode root = NODES.objectNode();
        JsonNode node = root;
        JsonNode schema = specSchema;
        for (int i = 0; i < field.path().size() - 1; i++) {
            Object step = field.path().get(i);
            schema = step instanceof Integer ? schema.path("items") : schema.path("properties").path((String) step);
            node = child(node, step, field.path().get(i + 1) instanceof Integer);
            if (node instanceof ObjectNode object) {
                if (step instanceof Integer) {
                    required(object, schema);
                }
                boolean switchable = schema.path("properties").path("enabled").path("type").asText().equals("boolean");
                if (switchable && !field.path().get(i + 1).equals("enabled")) {
                    object.put("enabled", true);
                }
            }
        }
        return root;
    }

    /** {@code context} with the field set to {@code value}. */
    static ObjectNode with(ObjectNode context, Field field, JsonNode value) {
        ObjectNode layer = context.deepCopy();
        JsonNode node = layer;
        for (int i = 0; i < field.path().size() - 1; i++) {
            node = child(node, field.path().get(i), field.path().get(i + 1) instanceof Integer);
        }
        ((ObjectNode) node).set(field.name(), value);
        return layer;
    }

    /** A value the schema accepts for the field, other than {@code current} (missing when the field is unset). */
    static JsonNode otherThan(JsonNode schema, JsonNode current) {
        if (schema.has("enum")) {
            for (JsonNode option : schema.get("enum")) {
                if (!option.equals(current)) {
                    return option;
                }
            }
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
            return TextNode.valueOf("7");
        }
        return switch (schema.path("type").asText()) {
            case "boolean" -> NODES.booleanNode(!current.asBoolean(false));
            case "integer" -> NODES.numberNode(otherNumber(schema, current.isNumber() ? current.asLong() : 1));
            case "number" -> NODES.numberNode((double) otherNumber(schema, current.isNumber() ? Math.round(current.asDouble()) : 1));
            case "string" -> TextNode.valueOf(string(schema, current.asText("")));
            case "array" -> NODES.arrayNode().add(otherThan(schema.path("items"), NODES.missingNode()));
            case "object" -> NODES.objectNode().set("WALK", otherThan(schema.path("additionalProperties"), NODES.missingNode()));
            default -> TextNode.valueOf("walk");
        };
    }

    private static long otherNumber(JsonNode schema, long current) {
        long max = schema.has("maximum") ? schema.get("maximum").asLong() : Long.MAX_VALUE;
        long min = schema.has("minimum") ? schema.get("minimum").asLong() : Long.MIN_VALUE;
        long next = current + 1 <= max ? current + 1 : current - 1;
        return Math.max(min, next);
    }

    private static String string(JsonNode schema, String current) {
        Pattern pattern = Pattern.compile(schema.path("pattern").asText(""));
        for (String sample : STRING_SAMPLES) {
            String candidate = sample.equals(current) ? sample + "2" : sample;
            if (pattern.matcher(candidate).find()) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("no sample string matches " + pattern);
    }

    /**
     * An item's required fields, numbers from 80 up: apart from the walk's own samples, so that the field walked
     * never gets the value of another it defaults to (a Service port's targetPort is its port when unset).
     */
    private static void required(ObjectNode item, JsonNode schema) {
        for (JsonNode name : schema.path("required")) {
            JsonNode property = schema.path("properties").path(name.asText());
            item.set(name.asText(), otherThan(property, NODES.numberNode(79)));
        }
    }

    private static JsonNode child(JsonNode node, Object step, boolean list) {
        JsonNode existing = step instanceof Integer index ? node.get(index) : node.get((String) step);
        if (existing != null) {
            return existing;
        }
        JsonNode created = list ? NODES.arrayNode() : NODES.objectNode();
        if (node instanceof ArrayNode array) {
            array.add(created);
        } else {
            ((ObjectNode) node).set((String) step, created);
        }
        return created;
    }

    private static List<Object> append(List<Object> path, Object step) {
        List<Object> longer = new ArrayList<>(path);
        longer.add(step);
        return List.copyOf(longer);
    }
}
