package dev.windlass.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;

/**
 * Conditions {@code Ready} (its discovery server is available) and {@code InUse} (running pods carry its
 * {@code windlass.dev/rev} label), and how many proxies it serves.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MeshRevisionStatus(Long observedGeneration, List<Condition> conditions, Integer proxies) {
}
