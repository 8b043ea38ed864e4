package dev.windlass.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

import java.util.Map;

/** Mesh-wide settings, published to the discovery server and the proxies through the mesh ConfigMap. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MeshConfig(
        @JsonPropertyDescription("Where proxies write access logs: /dev/stdout, or empty for none.")
        String accessLogFile,
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
            @JsonPropertyDescription("Percentage of requests traced, 0 to 100.")
            Double sampling) {
    }

    /** Default settings of every proxy; pods may override some through annotations. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProxyDefaults(
            @Min(0) @JsonPropertyDescription("Worker threads; 0 means one per CPU.") Integer concurrency,
            @Min(0) Integer drainDurationSeconds,
            Boolean holdApplicationUntilProxyStarts,
            LogLevel logLevel,
            @JsonPropertyDescription("Name metrics exactly as Istio does (istio_requests_total) instead of windlass_*.")
            Boolean istioMetricNames,
            ResourceRequirements resources,
            Map<String, String> proxyMetadata) {
    }

    public enum LogLevel { trace, debug, info, warning, error, off }
}
