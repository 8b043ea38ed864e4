package dev.windlass.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.Map;

/** Advanced settings. Everything here is typed except {@code experimental}, kept for flags of later versions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = Unsupported.EXPERIMENTAL_RULE, message = Unsupported.EXPERIMENTAL)
public record Values(Global global, Discovery discovery, SidecarInjector sidecarInjector,
        @PreserveUnknownFields
        @JsonPropertyDescription("Experimental feature flags. This version has none, so it must be left out.")
        Map<String, Object> experimental) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Global(
            @JsonPropertyDescription("Overrides the image registry and repository prefix of the catalog's images.")
            String hub,
            ImagePullPolicy imagePullPolicy,
            MeshConfig.LogLevel logLevel,
            @JsonPropertyDescription("The discovery server and the proxies log one JSON object per line.")
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
