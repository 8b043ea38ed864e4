package dev.windlass.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpdateStrategy(
        @JsonPropertyDescription("InPlace (default) replaces the control plane; RevisionBased runs a new revision beside the old one.")
        UpdateStrategyType type,

        @Min(0)
        @JsonPropertyDescription("Seconds an unused revision is kept before it is deleted.")
        Long inactiveRevisionDeletionGracePeriodSeconds) {

    public enum UpdateStrategyType { InPlace, RevisionBased }
}
