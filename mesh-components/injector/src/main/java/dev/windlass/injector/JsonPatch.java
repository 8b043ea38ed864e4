package dev.windlass.injector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;

/**
 * An RFC 6902 JSON Patch between two documents: applied to {@code from} it gives exactly {@code to}. Objects are
 * compared key by key; arrays index by index over their common length, then extra elements are appended
 * ({@code /-}) or removed from the end backwards, so that every index is valid when its operation runs. Pod
 * mutation only appends to arrays, which this handles with the fewest operations.
 */
public final class JsonPatch {
    private JsonPatch() {
    }

    public static ArrayNode diff(JsonNode from, JsonNode to) {
        ArrayNode ops = JsonNodeFactory.instance.arrayNode();
        diff("", from, to, ops);
        return ops;
    }

    private static void diff(String path, JsonNode from, JsonNode to, ArrayNode ops) {
        if (from.equals(to)) {
            return;
        }
        if (from.isObject() && to.isObject()) {
            diffObjects(path, from, to, ops);
        } else if (from.isArray() && to.isArray()) {
            diffArrays(path, from, to, ops);
        } else {
            op(ops, "replace", path).set("value", to);
        }
    }

    private static void diffObjects(String path, JsonNode from, JsonNode to, ArrayNode ops) {
        for (Iterator<String> names = from.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!to.has(name)) {
                op(ops, "remove", path + "/" + escape(name));
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = to.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String child = path + "/" + escape(field.getKey());
            if (from.has(field.getKey())) {
                diff(child, from.get(field.getKey()), field.getValue(), ops);
            } else {
                op(ops, "add", child).set("value", field.getValue());
            }
        }
    }

    private static void diffArrays(String path, JsonNode from, JsonNode to, ArrayNode ops) {
        int common = Math.min(from.size(), to.size());
        for (int i = 0; i < common; i++) {
            diff(path + "/" + i, from.get(i), to.get(i), ops);
        }
        for (int i = common; i < to.size(); i++) {
            op(ops, "add", path + "/-").set("value", to.get(i));
        }
        for (int i = from.size() - 1; i >= common; i--) {
            op(ops, "remove", path + "/" + i);
        }
    }

    private static ObjectNode op(ArrayNode ops, String op, String path) {
        return ops.addObject().put("op", op).put("path", path);
    }

    /** JSON Pointer escaping (RFC 6901): annotation keys contain '/'. */
    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
