package dev.windlass.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Observability add-ons, for demos and evaluation rather than production. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Addons(Addon prometheus, Addon grafana, Addon tracing, Addon kiali) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Addon(Boolean enabled) {
    }
}
