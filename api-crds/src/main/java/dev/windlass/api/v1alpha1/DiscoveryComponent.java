package dev.windlass.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The discovery server: xDS, certificate authority and sidecar-injector webhook. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DiscoveryComponent(
        @JsonPropertyDescription("Whether the discovery server is installed.")
        Boolean enabled,
        K8sSettings k8s) {
}
