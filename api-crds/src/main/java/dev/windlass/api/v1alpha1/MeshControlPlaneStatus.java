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
        Revisions revisions,
        List<ProxyCount> dataPlane) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ComponentStatus(String name, Boolean ready, String version, String message) {
    }

    /** How many injected proxies of this mesh run a mesh version, newest version first. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProxyCount(String version, Integer proxies) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Revisions(Integer total, Integer ready, Integer inUse) {
    }
}
