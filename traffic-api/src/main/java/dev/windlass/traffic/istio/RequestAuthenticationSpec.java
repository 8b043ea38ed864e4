package dev.windlass.traffic.istio;

import java.util.List;

/**
 * The spec of a RequestAuthentication ({@code security.istio.io}, v1beta1 and v1 alike): which workloads it covers
 * (none named: the whole namespace, or the whole mesh in the root namespace) and the JWT issuers their sidecars
 * accept. A request without a token passes (it just has no request principal); one with a token that fails a rule
 * is refused. {@code targetRef(s)}, {@code fromCookies} and {@code timeout} are refused by validation or, not being
 * in the model, by the parser.
 */
public record RequestAuthenticationSpec(WorkloadSelector selector, List<JwtRule> jwtRules) {

    public RequestAuthenticationSpec {
        jwtRules = Nulls.list(jwtRules);
    }

    public boolean selectsWorkloads() {
        return selector != null && !selector.matchLabels().isEmpty();
    }

    /**
     * One issuer: its keys ({@code jwks}, inline JWKS JSON; else fetched by the discovery server from {@code jwksUri},
     * else from the {@code jwks_uri} of the issuer's OpenID configuration), the audiences it may sign for (none: any), where the
     * token is read from (default {@code Authorization: Bearer} and the {@code access_token} query parameter), and
     * what the app receives (the token only with {@code forwardOriginalToken}, the payload in a header, claims in
     * headers).
     */
    public record JwtRule(String issuer, List<String> audiences, String jwksUri, String jwks,
                          List<JwtHeader> fromHeaders, List<String> fromParams, String outputPayloadToHeader,
                          Boolean forwardOriginalToken, List<ClaimToHeader> outputClaimToHeaders) {
        public JwtRule {
            audiences = Nulls.list(audiences);
            fromHeaders = Nulls.list(fromHeaders);
            fromParams = Nulls.list(fromParams);
            outputClaimToHeaders = Nulls.list(outputClaimToHeaders);
        }

        public boolean forwardsOriginalToken() {
            return Boolean.TRUE.equals(forwardOriginalToken);
        }
    }

    /** A header the token is read from; {@code prefix} (e.g. {@code "Bearer "}) is stripped from its value. */
    public record JwtHeader(String name, String prefix) {
    }

    /** A claim copied into a request header for the app. */
    public record ClaimToHeader(String header, String claim) {
    }
}
