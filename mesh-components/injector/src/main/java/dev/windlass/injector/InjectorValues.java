package dev.windlass.injector;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.windlass.contract.Revisions;

/**
 * The injector ConfigMap's {@code values.yaml} (profiles' SidecarTemplate.injectorValues). Unknown keys are
 * ignored, so that an older injector reads a newer operator's ConfigMap.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InjectorValues(String revision, String version, Boolean rewriteAppHTTPProbes,
                             Boolean holdApplicationUntilProxyStarts) {
    public InjectorValues {
        revision = Revisions.orDefault(revision);
        rewriteAppHTTPProbes = rewriteAppHTTPProbes == null || rewriteAppHTTPProbes;
        holdApplicationUntilProxyStarts = holdApplicationUntilProxyStarts != null && holdApplicationUntilProxyStarts;
    }
}
