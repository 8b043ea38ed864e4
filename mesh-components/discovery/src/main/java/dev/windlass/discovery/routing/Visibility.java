package dev.windlass.discovery.routing;

import java.util.List;
import java.util.Set;

/**
 * Istio's {@code exportTo}: which namespaces' proxies see a resource. Empty means everywhere (Istio's default
 * {@code *}); {@code .} is the resource's own namespace; {@code ~} is nowhere.
 */
public record Visibility(boolean everywhere, Set<String> namespaces) {

    public static final Visibility EVERYWHERE = new Visibility(true, Set.of());

    public Visibility {
        namespaces = Set.copyOf(namespaces);
    }

    public static Visibility of(List<String> exportTo, String ownNamespace) {
        if (exportTo.isEmpty() || exportTo.contains("*")) {
            return EVERYWHERE;
        }
        Set<String> names = new java.util.TreeSet<>();
        for (String entry : exportTo) {
            if (entry.equals(".")) {
                names.add(ownNamespace);
            } else if (!entry.equals("~")) {
                names.add(entry);
            }
        }
        return new Visibility(false, names);
    }

    public boolean visibleFrom(String namespace) {
        return everywhere || namespaces.contains(namespace);
    }
}
