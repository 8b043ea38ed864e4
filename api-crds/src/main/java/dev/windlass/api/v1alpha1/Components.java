package dev.windlass.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record Components(
        DiscoveryComponent discovery,

        @Size(max = 16)
        @ValidationRule(value = "self.all(g, self.exists_one(h, h.name == g.name))", message = "ingress gateway names must be unique")
        List<GatewayComponent> ingressGateways,

        @Size(max = 16)
        @ValidationRule(value = "self.all(g, self.exists_one(h, h.name == g.name))", message = "egress gateway names must be unique")
        List<GatewayComponent> egressGateways) {
}
