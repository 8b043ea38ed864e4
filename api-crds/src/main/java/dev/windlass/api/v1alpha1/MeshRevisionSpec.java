package dev.windlass.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * What a revision runs. {@code values} is the MeshControlPlane's spec as it was when this revision was last the
 * active one, so that an old revision keeps running exactly as it was installed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MeshRevisionSpec(
        @Required @JsonPropertyDescription("The MeshControlPlane this revision belongs to.") String controlPlane,
        @Required @JsonPropertyDescription("The mesh version the revision runs.") String version,
        @Required @JsonPropertyDescription("The namespace of its discovery server.") String namespace,
        @JsonPropertyDescription("The MeshControlPlane spec the revision was rendered from.") MeshControlPlaneSpec values) {
}
