package dev.windlass.profiles;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.api.v1alpha1.MeshControlPlaneSpec;

/** The fully merged values: typed for rendering, and as a tree for printing and for the windlass-values ConfigMap. */
public record ResolvedValues(MeshControlPlaneSpec spec, ObjectNode tree) {
}
