package dev.windlass.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record MeshControlPlaneStatus(
        Long observedGeneration,
        List<Condition> conditions,
        List<ComponentStatus> components,
        String version,
        String profile,
        String activeRevision,
        Revisions revisions) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ComponentStatus(String name, Boolean ready, String version, String message) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Revisions(Integer total, Integer ready, Integer inUse) {
    }
}
