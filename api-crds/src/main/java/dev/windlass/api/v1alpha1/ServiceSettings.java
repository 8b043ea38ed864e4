package dev.windlass.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceSettings(ServiceType type, List<Port> ports, Map<String, String> annotations) {

    public enum ServiceType { ClusterIP, NodePort, LoadBalancer }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Port(
            @Required @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$") String name,
            @Required @Min(1) @Max(65535) Integer port,
            @Min(1) @Max(65535) Integer targetPort,
            @Min(0) @Max(65535) Integer nodePort) {
    }
}
