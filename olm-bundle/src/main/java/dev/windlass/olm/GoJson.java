package dev.windlass.olm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON exactly as Go's {@code encoding/json} writes an unstructured object, which is what {@code opm render}
 * puts (base64-encoded) into {@code olm.bundle.object}: compact, map keys sorted, and {@code <}, {@code >},
 * {@code &}, U+2028 and U+2029 escaped. Writing the same bytes lets the validate script compare our catalog with
 * opm's rendering of the bundle directory.
 */
final class GoJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    static {
        JSON.getFactory().setCharacterEscapes(new GoEscapes());
    }

    private GoJson() {
    }

    /** The value as plain maps and lists first, so that every level is written with sorted keys. */
    static String write(Object value) {
        try {
            return JSON.writeValueAsString(goNumbers(JSON.convertValue(value, Object.class)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** Go writes a float64 without a fraction as an integer (a schema's {@code minimum: 1.0} becomes 1). */
    private static Object goNumbers(Object value) {
        return switch (value) {
            case Map<?, ?> map -> {
                Map<Object, Object> copy = new LinkedHashMap<>();
                map.forEach((k, v) -> copy.put(k, goNumbers(v)));
                yield copy;
            }
            case List<?> list -> list.stream().map(GoJson::goNumbers).toList();
            case Double d when d == Math.rint(d) && Math.abs(d) < 1e21 -> BigDecimal.valueOf(d).toBigInteger();
            case null, default -> value;
        };
    }

    private static final class GoEscapes extends CharacterEscapes {
        private static final Map<Integer, SerializedString> ESCAPED = Map.of(
                (int) '<', new SerializedString("\\u003c"), (int) '>', new SerializedString("\\u003e"),
                (int) '&', new SerializedString("\\u0026"), 0x2028, new SerializedString("\\u2028"),
                0x2029, new SerializedString("\\u2029"));
        private final int[] asciiEscapes = standardAsciiEscapesForJSON();

        GoEscapes() {
            asciiEscapes['<'] = ESCAPE_CUSTOM;
            asciiEscapes['>'] = ESCAPE_CUSTOM;
            asciiEscapes['&'] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return asciiEscapes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ESCAPED.get(ch);
        }
    }
}
