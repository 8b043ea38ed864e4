package dev.windlass.profiles;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code --set path=value} override, such as {@code components.ingressGateways[0].k8s.replicas=3}.
 * A dot inside a key is written {@code \.}. The value is a YAML scalar or flow collection; {@code null} removes the key.
 */
public record SetFlag(String text, List<Object> path, JsonNode value) {
    private static final Pattern SEGMENT = Pattern.compile("((?:[^.\\[\\\\]|\\\\.)+)((?:\\[\\d+])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

    public static SetFlag parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new ValuesException("--set " + text, "", "expected path=value");
        }
        return new SetFlag(text, parsePath(text, text.substring(0, eq)), parseValue(text, text.substring(eq + 1)));
    }

    public String source() {
        return "--set " + text;
    }

    /** Sets the value in {@code tree}, creating maps and list items on the way. */
    public void applyTo(ObjectNode tree) {
        JsonNode node = tree;
        for (int i = 0; i < path.size() - 1; i++) {
            node = child(node, path.get(i), path.get(i + 1) instanceof Integer);
        }
        Object last = path.getLast();
        if (node instanceof ObjectNode object) {
            if (value.isNull()) {
                object.remove((String) last);
            } else {
                object.set((String) last, value);
            }
        } else {
            ArrayNode array = (ArrayNode) node;
            padTo(array, (Integer) last);
            array.set((Integer) last, value);
        }
    }

    /** A tree holding only this override, for validating it on its own. */
    public ObjectNode asSparseTree() {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        applyTo(tree);
        return tree;
    }

    private JsonNode child(JsonNode node, Object key, boolean wantArray) {
        JsonNode existing = key instanceof String name ? node.get(name) : node.get((Integer) key);
        if (existing != null && (wantArray ? existing.isArray() : existing.isObject())) {
            return existing;
        }
        if (existing != null && !existing.isNull()) {
            throw new ValuesException(source(), "", "'" + key + "' is not a " + (wantArray ? "list" : "map"));
        }
        JsonNode created = wantArray ? JsonNodeFactory.instance.arrayNode() : JsonNodeFactory.instance.objectNode();
        if (node instanceof ObjectNode object) {
            object.set((String) key, created);
        } else {
            ArrayNode array = (ArrayNode) node;
            padTo(array, (Integer) key);
            array.set((Integer) key, created);
        }
        return created;
    }

    private static void padTo(ArrayNode array, int index) {
        while (array.size() <= index) {
            array.addNull();
        }
    }

    private static List<Object> parsePath(String text, String path) {
        List<Object> segments = new ArrayList<>();
        for (String part : path.split("(?<!\\\\)\\.", -1)) {
            Matcher m = SEGMENT.matcher(part);
            if (!m.matches()) {
                throw new ValuesException("--set " + text, "", "bad path segment '" + part + "' in '" + path + "'");
            }
            segments.add(m.group(1).replace("\\.", "."));
            Matcher index = INDEX.matcher(m.group(2));
            while (index.find()) {
                segments.add(Integer.parseInt(index.group(1)));
            }
        }
        return List.copyOf(segments);
    }

    private static JsonNode parseValue(String text, String value) {
        if (value.isEmpty()) {
            return JsonNodeFactory.instance.textNode("");
        }
        try {
            JsonNode parsed = Yaml.MAPPER.readTree(value);
            return parsed == null || parsed.isMissingNode() ? JsonNodeFactory.instance.nullNode() : parsed;
        } catch (JsonProcessingException e) {
            throw new ValuesException("--set " + text, "", "value is not valid YAML: " + e.getOriginalMessage());
        }
    }
}
