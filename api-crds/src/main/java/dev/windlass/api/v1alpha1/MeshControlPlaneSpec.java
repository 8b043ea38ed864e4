package dev.windlass.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** The desired mesh. Unset fields come from the profile; see docs/profiles.md for the layering. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MeshControlPlaneSpec(
        @Required
        @Pattern("^[0-9]+\\.[0-9]+\\.[0-9]+$")
        @JsonPropertyDescription("Mesh version from the operator's catalog, for example 0.2.0.")
        String version,

        @Default("default")
        @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
        @JsonPropertyDescription("Profile to start from: default, demo, minimal, empty or preview. Defaults to default.")
        String profile,

        @Default("windlass-system")
        @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
        @ValidationRule(value = "self == oldSelf", message = "spec.namespace is immutable: uninstall and install again to move the mesh")
        @ValidationRule(value = "!(self in " + RESERVED_NAMESPACES + ")", message = "spec.namespace must not be kube-system,"
                + " kube-public, kube-node-lease or default: the mesh's namespace is deleted with it, and those hold the cluster's own"
                + " workloads")
        @JsonPropertyDescription("Namespace of the control plane. Defaults to windlass-system. Immutable.")
        String namespace,

        UpdateStrategy updateStrategy,
        Components components,
        MeshConfig meshConfig,
        Addons addons,

        @JsonPropertyDescription("Advanced settings. Typed like the rest, apart from values.experimental.")
        Values values) {

    /** A CEL list: namespaces a mesh may not own, since uninstalling deletes the mesh's namespace. */
    public static final String RESERVED_NAMESPACES = "['kube-system', 'kube-public', 'kube-node-lease', 'default']";
}
