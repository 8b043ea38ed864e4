package dev.windlass.profiles.render;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsOrArray;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsOrBool;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * A structural OpenAPI v3 schema generated from a record type, by reflection over its components, each named as
 * Jackson reads it: String, Integer (int32), Long (int64), Double, Boolean, enums, {@code List<T>} as an array,
 * {@code Map<String, T>} as an object with additionalProperties, and nested records as objects. The model is the
 * one source: a field added to a record reaches the CRD without an edit here. What Java types cannot say (enums
 * kept as strings, bounds, descriptions) comes from {@link Hints}, per record component.
 *
 * <p>Every record's object node carries {@code x-kubernetes-preserve-unknown-fields}: see
 * {@link #of(Class, Hints)}.
 */
final class RecordSchema {
    /** The component of a record that a hint refines. */
    record Field(Class<?> owner, String name) {
    }

    /** Refinements of generated schemas, per record component; absent components are left as generated. */
    record Hints(Map<Field, UnaryOperator<JSONSchemaPropsBuilder>> byField) {
        JSONSchemaProps apply(Class<?> owner, String name, JSONSchemaProps generated) {
            UnaryOperator<JSONSchemaPropsBuilder> hint = byField.get(new Field(owner, name));
            return hint == null ? generated : hint.apply(new JSONSchemaPropsBuilder(generated)).build();
        }
    }

    private final Hints hints;
    private final Deque<Class<?>> visiting = new ArrayDeque<>();

    private RecordSchema(Hints hints) {
        this.hints = hints;
    }

    /**
     * The schema of a record. Every object node keeps unknown fields ({@code x-kubernetes-preserve-unknown-fields}):
     * otherwise the apiserver would prune a field the record does not have before any webhook sees the object, and
     * an Istio field Windlass does not implement would be silently dropped, stored and ignored. Kept, it reaches the
     * validating webhook, whose strict parser refuses it by name ("not supported by Windlass: spec.http[0].x").
     * The known fields are still typed, so {@code kubectl explain} and server-side apply work.
     */
    static JSONSchemaProps of(Class<? extends Record> type, Hints hints) {
        return new RecordSchema(hints).schema(type);
    }

    private JSONSchemaProps schema(Type type) {
        if (type instanceof ParameterizedType generic) {
            return generic(generic);
        }
        if (!(type instanceof Class<?> cls)) {
            throw new IllegalArgumentException("no schema for type " + type);
        }
        if (cls == String.class) {
            return scalar("string", null);
        }
        if (cls == Integer.class || cls == int.class) {
            return scalar("integer", "int32");
        }
        if (cls == Long.class || cls == long.class) {
            return scalar("integer", "int64");
        }
        if (cls == Double.class || cls == double.class) {
            return scalar("number", "double");
        }
        if (cls == Boolean.class || cls == boolean.class) {
            return scalar("boolean", null);
        }
        if (cls.isEnum()) {
            return new JSONSchemaPropsBuilder().withType("string").withEnum(enumValues(cls)).build();
        }
        if (cls.isRecord()) {
            return record(cls);
        }
        throw new IllegalArgumentException("no schema for " + cls.getName() + " (add it to RecordSchema)");
    }

    private JSONSchemaProps generic(ParameterizedType type) {
        Type raw = type.getRawType();
        Type[] args = type.getActualTypeArguments();
        if (raw == List.class) {
            return new JSONSchemaPropsBuilder().withType("array")
                    .withItems(new JSONSchemaPropsOrArray(null, schema(args[0]))).build();
        }
        if (raw == Map.class && args[0] == String.class) {
            return new JSONSchemaPropsBuilder().withType("object")
                    .withAdditionalProperties(new JSONSchemaPropsOrBool(null, schema(args[1]))).build();
        }
        throw new IllegalArgumentException("no schema for " + type + " (lists and string-keyed maps only)");
    }

    private JSONSchemaProps record(Class<?> type) {
        if (visiting.contains(type)) {
            // A structural schema has no references, so a recursive model cannot be written as one.
            throw new IllegalArgumentException("recursive record " + type.getName() + " via " + visiting);
        }
        visiting.push(type);
        Map<String, JSONSchemaProps> properties = new TreeMap<>();
        for (RecordComponent component : type.getRecordComponents()) {
            String name = jsonName(component);
            properties.put(name, hints.apply(type, component.getName(), schema(component.getGenericType())));
        }
        visiting.pop();
        return new JSONSchemaPropsBuilder().withType("object").withProperties(properties)
                .withXKubernetesPreserveUnknownFields(true).build();
    }

    private static String jsonName(RecordComponent component) {
        JsonProperty property = component.getAnnotation(JsonProperty.class);
        if (property == null && component.getAccessor() != null) {
            property = component.getAccessor().getAnnotation(JsonProperty.class);
        }
        return property == null || property.value().isEmpty() ? component.getName() : property.value();
    }

    private static JSONSchemaProps scalar(String type, String format) {
        return new JSONSchemaPropsBuilder().withType(type).withFormat(format).build();
    }

    private static List<JsonNode> enumValues(Class<?> type) {
        return Arrays.stream(type.getEnumConstants()).map(c -> (JsonNode) TextNode.valueOf(((Enum<?>) c).name())).toList();
    }
}
