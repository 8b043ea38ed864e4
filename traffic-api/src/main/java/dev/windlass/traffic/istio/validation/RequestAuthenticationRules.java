package dev.windlass.traffic.istio.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.traffic.istio.JwtKeys;
import dev.windlass.traffic.istio.RequestAuthenticationSpec;
import dev.windlass.traffic.istio.RequestAuthenticationSpec.JwtRule;

import java.util.List;

/**
 * Istio's validation of a RequestAuthentication (ValidateRequestAuthentication, validateJwtRule): the selector's
 * labels, an issuer per rule, non-empty audiences, header and parameter locations with names, a JWKS that parses,
 * a {@code jwksUri} that is an http(s) URL. A rule may name its keys inline ({@code jwks}, which wins when both are
 * set, as in Istio), by {@code jwksUri}, or neither (the discovery server then reads the issuer's OpenID
 * configuration). Windlass refuses inline keys it cannot verify with (only RSA and EC P-256 keys, for RS256 and ES256).
 */
final class RequestAuthenticationRules {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RequestAuthenticationRules() {
    }

    static void check(RequestAuthenticationSpec spec, Errors errors) {
        if (spec.selector() != null) {
            spec.selector().matchLabels().forEach((key, value) -> Selectors.label("spec.selector.matchLabels", key, value, errors));
        }
        for (int i = 0; i < spec.jwtRules().size(); i++) {
            rule("spec.jwtRules[" + i + "]", spec.jwtRules().get(i), errors);
        }
    }

    private static void rule(String path, JwtRule rule, Errors errors) {
        if (rule == null) {
            return;
        }
        if (rule.issuer() == null || rule.issuer().isEmpty()) {
            errors.add(path + ".issuer", "issuer must be set");
        }
        nonEmpty(path + ".audiences", rule.audiences(), "audience must be non-empty string", errors);
        nonEmpty(path + ".fromParams", rule.fromParams(), "location query must be non-empty string", errors);
        for (int i = 0; i < rule.fromHeaders().size(); i++) {
            var header = rule.fromHeaders().get(i);
            if (header == null || header.name() == null || header.name().isEmpty()) {
                errors.add(path + ".fromHeaders[" + i + "].name", "location header name must be non-empty string");
            }
        }
        for (int i = 0; i < rule.outputClaimToHeaders().size(); i++) {
            var claim = rule.outputClaimToHeaders().get(i);
            String at = path + ".outputClaimToHeaders[" + i + "]";
            if (claim == null || claim.claim() == null || claim.claim().isEmpty()) {
                errors.add(at + ".claim", "claim name must be non-empty string");
            }
            Values.headerName(at + ".header", claim == null ? null : claim.header(), errors);
        }
        if (rule.jwksUri() != null && !rule.jwksUri().isEmpty()) {
            JwtKeys.uriProblem(rule.jwksUri()).ifPresent(problem -> errors.add(path + ".jwksUri", problem));
        }
        if (rule.jwks() != null && !rule.jwks().isEmpty()) {
            jwks(path + ".jwks", rule.jwks(), errors);
        }
    }

    private static void nonEmpty(String path, List<String> values, String message, Errors errors) {
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null || values.get(i).isEmpty()) {
                errors.add(path + "[" + i + "]", message);
            }
        }
    }

    /** A JWKS with at least one key, every key one Windlass verifies with: RSA, or EC on P-256. */
    private static void jwks(String path, String text, Errors errors) {
        JsonNode keys;
        try {
            keys = JSON.readTree(text).path("keys");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            errors.add(path, "jwks parse error: " + e.getOriginalMessage());
            return;
        }
        if (!keys.isArray() || keys.isEmpty()) {
            errors.add(path, "jwks parse error: no keys");
            return;
        }
        for (int i = 0; i < keys.size(); i++) {
            JsonNode key = keys.get(i);
            switch (JwtKeys.support(key)) {
                case UNSUPPORTED_KEY -> errors.notSupported(path + ".keys[" + i + "]", "only RSA keys and EC keys on P-256 (RS256, ES256)");
                case UNSUPPORTED_ALGORITHM -> errors.notSupported(path + ".keys[" + i + "].alg",
                        key.path("alg").asText() + ": Windlass verifies RS256 with RSA keys and ES256 with EC P-256 keys");
                case VERIFIABLE -> { }
            }
        }
    }
}
