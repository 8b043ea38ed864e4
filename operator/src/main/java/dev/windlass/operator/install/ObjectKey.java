package dev.windlass.operator.install;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Identifies a Kubernetes object across kinds, for comparing what is rendered with what exists. */
public record ObjectKey(String apiVersion, String kind, String namespace, String name) {
    public static ObjectKey of(HasMetadata object) {
        return new ObjectKey(object.getApiVersion(), object.getKind(), object.getMetadata().getNamespace(),
                object.getMetadata().getName());
    }

    @Override
    public String toString() {
        return kind + " " + (namespace == null ? "" : namespace + "/") + name;
    }
}
