package dev.windlass.traffic.istio;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Absent lists and maps read as empty ones, so that no consumer of the model needs a null check. */
final class Nulls {
    private Nulls() {
    }

    static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : Collections.unmodifiableList(new java.util.ArrayList<>(list));
    }

    /** Keeps the YAML's order: rules such as header operations are applied in the order written. */
    static <K, V> Map<K, V> map(Map<K, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
