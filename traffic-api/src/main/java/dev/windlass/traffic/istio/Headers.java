package dev.windlass.traffic.istio;

import java.util.List;
import java.util.Map;

/** Header manipulation rules, for the request on its way to the upstream and for the response on its way back. */
public record Headers(HeaderOperations request, HeaderOperations response) {

    /** {@code set} overwrites, {@code add} appends, {@code remove} deletes; applied as Istio orders them. */
    public record HeaderOperations(Map<String, String> set, Map<String, String> add, List<String> remove) {
        public HeaderOperations {
            set = Nulls.map(set);
            add = Nulls.map(add);
            remove = Nulls.list(remove);
        }

        public boolean isEmpty() {
            return set.isEmpty() && add.isEmpty() && remove.isEmpty();
        }
    }
}
