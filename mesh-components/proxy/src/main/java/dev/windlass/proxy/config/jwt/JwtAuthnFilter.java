package dev.windlass.proxy.config.jwt;

import java.util.List;

/**
 * A compiled {@code envoy.filters.http.jwt_authn} filter: its providers (keys parsed once), the requirement every
 * request is held to, whether CORS preflights skip it, and the key its verified payloads are kept under (what RBAC's
 * metadata matchers name after the filter; null when the providers keep none).
 */
public record JwtAuthnFilter(List<JwtProviderRule> providers, JwtRequirement requirement, boolean bypassCorsPreflight,
                             String payloadKey) {
    public JwtAuthnFilter {
        providers = List.copyOf(providers);
    }
}
