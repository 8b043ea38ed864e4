package dev.windlass.injector;

import java.util.Map;

/** The namespace a pod is created in: its name and its labels (which may be empty, never null). */
public record NamespaceInfo(String name, Map<String, String> labels) {
    public NamespaceInfo {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
