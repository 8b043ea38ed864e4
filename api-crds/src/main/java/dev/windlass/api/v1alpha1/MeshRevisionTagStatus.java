package dev.windlass.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;

/** {@code revision}: the revision the tag resolves to now. Condition {@code Ready}: its webhook points there. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MeshRevisionTagStatus(Long observedGeneration, List<Condition> conditions, String revision) {
}
