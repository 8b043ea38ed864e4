package dev.windlass.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

import java.util.Map;

/** Mesh-wide settings, published to the discovery server and the proxies through the mesh ConfigMap. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MeshConfig(
        @JsonPropertyDescription("Where proxies write access logs: /dev/stdout, or empty for none.")
        String accessLogFile,
        @JsonPropertyDescription("TEXT (Envoy's default line) or JSON (one object per line, Istio's default JSON keys).")
        AccessLogEncoding accessLogEncoding,
        OutboundTrafficPolicy outboundTrafficPolicy,
        Tracing tracing,
        ProxyDefaults defaultConfig) {

    public enum AccessLogEncoding { TEXT, JSON }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OutboundTrafficPolicy(
            @JsonPropertyDescription("ALLOW_ANY passes unknown destinations through; REGISTRY_ONLY blocks them.")
            Mode mode) {
        public enum Mode { ALLOW_ANY, REGISTRY_ONLY }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Tracing(
            @Min(0) @Max(100)
            @ValidationRule(value = Unsupported.TRACING_SAMPLING_RULE, message = Unsupported.TRACING_SAMPLING)
            @JsonPropertyDescription("Percentage of requests traced. Windlass does not trace yet, so only 0 is accepted.")
            Double sampling) {
    }

    /** Default settings of every proxy; pods may override some through annotations. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProxyDefaults(
            @Min(0) @JsonPropertyDescription("Worker threads; 0 means one per CPU.") Integer concurrency,
            @Min(0) Integer drainDurationSeconds,
            @JsonPropertyDescription("Start the app containers only once the injected proxy is ready (the proxy goes first,"
                    + " with a postStart hook that waits for it). Pods may override it with the proxy.istio.io/config annotation.")
            Boolean holdApplicationUntilProxyStarts,
            LogLevel logLevel,
            @JsonPropertyDescription("Name metrics exactly as Istio does (istio_requests_total) instead of windlass_*.")
            Boolean istioMetricNames,
            ResourceRequirements resources,
            @JsonPropertyDescription("Extra environment variables for every proxy, injected sidecars and gateways.")
            Map<String, String> proxyMetadata) {
    }

    public enum LogLevel { trace, debug, info, warning, error, off }
}
