package dev.windlass.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas",
        message = "hpa.minReplicas must not be greater than hpa.maxReplicas")
public record HpaSettings(
        Boolean enabled,
        @Min(1) Integer minReplicas,
        @Min(1) Integer maxReplicas,
        @Min(1) @Max(100) Integer targetCPUUtilizationPercentage) {
}
