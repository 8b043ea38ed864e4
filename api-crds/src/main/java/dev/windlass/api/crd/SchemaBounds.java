package dev.windlass.api.crd;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Gives the generated schema the bounds of the Java types behind it. The generator writes {@code type: integer}
 * for both int and long, so a count of 2147483648 passed the apiserver and then broke deserialization in the
 * operator's informer (one bad object stopped every mesh); and it leaves resource quantities as any string, so
 * {@code cpu: lots} passed admission and failed only at apply. Walking the schema beside the Java type fixes both
 * at admission, for our records and for the Kubernetes model types they embed.
 */
final class SchemaBounds {
    /** Kubernetes' own quantity syntax (resource.Quantity), applied to the string form of int-or-string. */
    static final String QUANTITY_PATTERN =
            "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";

    private static final ObjectMapper JACKSON = new ObjectMapper();
    /** Deep enough for every type we embed; a guard against self-referencing model types (JSONSchemaProps). */
    private static final int MAX_DEPTH = 32;

    private SchemaBounds() {
    }

    static void apply(JsonNode schema, Class<?> kind) {
        walk(schema, JACKSON.constructType(kind), 0);
    }

    private static void walk(JsonNode schema, JavaType type, int depth) {
        if (!(schema instanceof ObjectNode node) || depth > MAX_DEPTH) {
            return;
        }
        Class<?> raw = type.getRawClass();
        if (raw == Integer.class || raw == int.class || raw == Short.class || raw == short.class) {
            bound(node, "int32", Integer.MIN_VALUE, Integer.MAX_VALUE);
        } else if (raw == Long.class || raw == long.class) {
            format(node, "int64");
        } else if (raw == Quantity.class) {
            node.put("pattern", QUANTITY_PATTERN);
        } else if (type.isCollectionLikeType() || type.isArrayType()) {
            walk(node.get("items"), type.getContentType(), depth + 1);
        } else if (type.isMapLikeType()) {
            walk(node.get("additionalProperties"), type.getContentType(), depth + 1);
        } else if (node.get("properties") instanceof ObjectNode properties) {
            walkProperties(properties, type, depth);
        }
    }

    private static void walkProperties(ObjectNode properties, JavaType type, int depth) {
        BeanDescription bean = JACKSON.getSerializationConfig().introspect(type);
        for (BeanPropertyDefinition property : bean.findProperties()) {
            JsonNode child = properties.get(property.getName());
            if (child != null) {
                walk(child, property.getPrimaryType(), depth + 1);
            }
        }
    }

    /** Keeps bounds the annotations already set (a replica count's minimum 0) and adds the type's own. */
    private static void bound(ObjectNode node, String format, long min, long max) {
        if (!format(node, format)) {
            return;
        }
        if (!node.has("minimum")) {
            node.put("minimum", min);
        }
        if (!node.has("maximum")) {
            node.put("maximum", max);
        }
    }

    private static boolean format(ObjectNode node, String format) {
        boolean integer = "integer".equals(node.path("type").asText());
        if (integer) {
            node.put("format", format);
        }
        return integer;
    }
}
