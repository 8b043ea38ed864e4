package dev.windlass.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

import java.util.Map;

/** Advanced settings. Everything here is typed except {@code experimental}, which the preview profile uses for flags. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Values(Global global, Discovery discovery, SidecarInjector sidecarInjector,
        @PreserveUnknownFields
        @JsonPropertyDescription("Experimental feature flags. Unvalidated; may change between versions.")
        Map<String, Object> experimental) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Global(
            @JsonPropertyDescription("Overrides the image registry and repository prefix of the catalog's images.")
            String hub,
            ImagePullPolicy imagePullPolicy,
            MeshConfig.LogLevel logLevel,
            Boolean logAsJson,
            @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$") String clusterDomain) {
    }

    public enum ImagePullPolicy { Always, IfNotPresent, Never }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Discovery(
            @Min(1) @JsonPropertyDescription("Quiet period before a config push, in milliseconds.") Integer debounceQuietMillis,
            @Min(1) @JsonPropertyDescription("Longest a push is delayed by debouncing, in milliseconds.") Integer debounceMaxMillis) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SidecarInjector(
            @JsonPropertyDescription("Send the app's HTTP probes through the proxy's port 15020.") Boolean rewriteAppHTTPProbes) {
    }
}
