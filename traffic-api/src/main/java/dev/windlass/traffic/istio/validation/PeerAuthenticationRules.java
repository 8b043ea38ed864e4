package dev.windlass.traffic.istio.validation;

import dev.windlass.traffic.istio.PeerAuthenticationSpec;

import java.util.Map;

/**
 * Istio's validation of a PeerAuthentication (its ValidatePeerAuthentication and validateWorkloadSelector): the
 * selector's labels, port-level modes only on a policy that selects workloads (a namespace or mesh policy
 * cannot have them), ports that are ports, and modes Istio knows.
 */
final class PeerAuthenticationRules {
    private PeerAuthenticationRules() {
    }

    static void check(PeerAuthenticationSpec spec, Errors errors) {
        if (spec.selector() != null) {
            spec.selector().matchLabels().forEach((key, value) -> Selectors.label("spec.selector.matchLabels", key, value, errors));
        }
        mode("spec.mtls.mode", spec.mtls(), errors);
        if (!spec.selectsWorkloads() && !spec.portLevelMtls().isEmpty()) {
            errors.add("spec.portLevelMtls", "mesh/namespace-wide policy cannot have portLevelMtls");
        }
        for (Map.Entry<String, PeerAuthenticationSpec.Mtls> port : spec.portLevelMtls().entrySet()) {
            String path = "spec.portLevelMtls[" + port.getKey() + "]";
            if (!Selectors.port(port.getKey())) {
                errors.add(path, "port must be in the range 1..65535: " + port.getKey());
            }
            if (port.getValue() == null) {
                errors.add(path, "port-level mTLS settings must not be null");
            }
            mode(path + ".mode", port.getValue(), errors);
        }
    }

    private static void mode(String path, PeerAuthenticationSpec.Mtls mtls, Errors errors) {
        if (mtls != null && mtls.mode() != null && !PeerAuthenticationSpec.MODES.contains(mtls.mode())) {
            errors.add(path, "unknown mode " + mtls.mode() + ": one of " + String.join(", ", PeerAuthenticationSpec.MODES));
        }
    }
}
