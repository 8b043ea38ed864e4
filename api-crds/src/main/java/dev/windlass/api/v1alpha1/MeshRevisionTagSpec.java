package dev.windlass.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record MeshRevisionTagSpec(
        @Required @JsonPropertyDescription("The MeshControlPlane (its active revision) or MeshRevision this tag points at.")
        TargetRef targetRef) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TargetRef(
            @Required @JsonPropertyDescription("MeshControlPlane or MeshRevision.") TargetKind kind,
            @Required @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$") String name) {
    }

    public enum TargetKind { MeshControlPlane, MeshRevision }
}
