package dev.windlass.discovery.routing;

import java.util.List;
import java.util.Map;

/** Edits to the headers of a request or a response: set (overwrite), add (append), remove. */
public record HeaderEdits(Map<String, String> set, Map<String, String> add, List<String> remove) {

    public static final HeaderEdits NONE = new HeaderEdits(Map.of(), Map.of(), List.of());

    public HeaderEdits {
        set = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(set));
        add = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(add));
        remove = List.copyOf(remove);
    }

    public boolean isEmpty() {
        return set.isEmpty() && add.isEmpty() && remove.isEmpty();
    }

    /** Header edits of both directions. */
    public record Both(HeaderEdits request, HeaderEdits response) {
        public static final Both NONE = new Both(HeaderEdits.NONE, HeaderEdits.NONE);
    }
}
