package dev.windlass.e2e.security;

import dev.windlass.proxy.testing.JwtResources;

import java.security.GeneralSecurityException;
import java.time.Instant;

/**
 * Istio's "JWT authentication" task's material, made here (the task downloads Istio's sample jwks.json and demo
 * tokens; this one signs its own with the same issuer): a RequestAuthentication for httpbin with the key inline, the
 * "require-jwt" AuthorizationPolicy, and tokens with and without the {@code groups} claim.
 */
final class IstioJwtTask {
    static final String ISSUER = "testing@secure.istio.io";
    private final JwtResources.SigningKey key;

    IstioJwtTask() throws GeneralSecurityException {
        key = JwtResources.SigningKey.rsa("DHFbpoIUqrY8t2zpA2qXfCmr5VO5ZEr4RzHU_-envvQ");
    }

    String requestAuthentication() {
        return "apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata: {name: jwt-example}\nspec:\n"
                + "  selector: {matchLabels: {app: httpbin}}\n  jwtRules:\n  - issuer: \"" + ISSUER + "\"\n"
                + "    jwks: '" + JwtResources.jwks(key) + "'\n";
    }

    /** Only requests whose token names this principal; with {@code groups}, only those carrying that group too. */
    static String requireJwt(String groups) {
        return "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: require-jwt}\nspec:\n"
                + "  selector: {matchLabels: {app: httpbin}}\n  action: ALLOW\n  rules:\n"
                + "  - from: [{source: {requestPrincipals: [\"" + ISSUER + "/" + ISSUER + "\"]}}]\n"
                + (groups == null ? "" : "    when: [{key: \"request.auth.claims[groups]\", values: [\"" + groups + "\"]}]\n");
    }

    /** The task's demo.jwt: issuer and subject testing@secure.istio.io, valid for an hour. */
    String demoToken() throws GeneralSecurityException {
        return key.sign(JwtResources.claims(ISSUER, ISSUER, Instant.now().plusSeconds(3600).getEpochSecond(), ""));
    }

    /** The task's groups-scope.jwt: the same, with groups group1 and group2. */
    String groupsToken() throws GeneralSecurityException {
        return key.sign(JwtResources.claims(ISSUER, ISSUER, Instant.now().plusSeconds(3600).getEpochSecond(),
                "\"groups\":[\"group1\",\"group2\"],\"scope\":[\"scope1\",\"scope2\"]"));
    }
}
