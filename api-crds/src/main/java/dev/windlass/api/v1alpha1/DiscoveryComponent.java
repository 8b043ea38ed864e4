package dev.windlass.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** The discovery server: xDS, certificate authority and sidecar-injector webhook. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DiscoveryComponent(
        @JsonPropertyDescription("Whether the discovery server is installed.")
        Boolean enabled,
        @ValidationRule(value = Unsupported.DISCOVERY_SERVICE_RULE, message = Unsupported.DISCOVERY_SERVICE)
        K8sSettings k8s) {
}
