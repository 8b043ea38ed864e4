package dev.windlass.profiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/** The merge rules of the design: maps merge, lists replace, an explicit null removes a key. */
public final class ValuesMerge {
    private ValuesMerge() {
    }

    /** Returns a new tree: {@code overlay} laid over {@code base}. Neither input is changed. */
    public static ObjectNode merge(ObjectNode base, ObjectNode overlay) {
        ObjectNode result = base.deepCopy();
        mergeInto(result, overlay);
        return result;
    }

    private static void mergeInto(ObjectNode target, ObjectNode overlay) {
        for (Map.Entry<String, JsonNode> entry : overlay.properties()) {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            if (value.isNull()) {
                target.remove(key);
            } else if (value.isObject() && target.get(key) instanceof ObjectNode existing) {
                mergeInto(existing, (ObjectNode) value);
            } else {
                target.set(key, withoutNulls(value.deepCopy()));
            }
        }
    }

    /** Nulls only mean "remove" while merging; a value that is newly placed keeps none. */
    private static JsonNode withoutNulls(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.properties().removeIf(e -> e.getValue().isNull());
            object.forEach(ValuesMerge::withoutNulls);
        } else if (node.isArray()) {
            node.forEach(ValuesMerge::withoutNulls);
        }
        return node;
    }
}
