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
        Long inactiveRevisionDeletionGracePeriodSeconds,

        @JsonPropertyDescription("RevisionBased only: once the new revision is Ready, restart the Deployments whose pods run an"
                + " older revision of this mesh in namespaces that now select the new one, a few at a time.")
        Boolean updateWorkloads) {

    /** Sail's default: long enough for a rollback, short enough not to leave a discovery server idle for long. */
    public static final long DEFAULT_GRACE_PERIOD_SECONDS = 30;

    public enum UpdateStrategyType { InPlace, RevisionBased }

    /** Whether a spec's strategy (null means the default, InPlace) is RevisionBased. */
    public static boolean isRevisionBased(UpdateStrategy strategy) {
        return strategy != null && strategy.type() == UpdateStrategyType.RevisionBased;
    }
}
