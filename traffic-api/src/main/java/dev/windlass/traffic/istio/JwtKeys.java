package dev.windlass.traffic.istio;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * What Windlass's proxies verify tokens with: RSA keys (RS256) and EC keys on P-256 (ES256), the key's {@code alg},
 * when named, the one of its type. Shared by validation (an inline {@code jwks} with another key is refused) and the
 * discovery server (a fetched JWKS keeps only these keys: an issuer's published set often lists others too), so that
 * both agree with the proxy, which refuses a configuration holding any other key.
 */
public final class JwtKeys {
    /** How one key of a JWKS stands. */
    public enum Support { VERIFIABLE, UNSUPPORTED_KEY, UNSUPPORTED_ALGORITHM }

    private JwtKeys() {
    }

    public static Support support(JsonNode key) {
        String kty = key.path("kty").asText();
        String alg = key.path("alg").asText("");
        if (kty.equals("RSA") && key.path("n").isTextual() && key.path("e").isTextual()) {
            return alg.isEmpty() || alg.equals("RS256") ? Support.VERIFIABLE : Support.UNSUPPORTED_ALGORITHM;
        }
        if (kty.equals("EC") && key.path("crv").asText().equals("P-256") && key.path("x").isTextual() && key.path("y").isTextual()) {
            return alg.isEmpty() || alg.equals("ES256") ? Support.VERIFIABLE : Support.UNSUPPORTED_ALGORITHM;
        }
        return Support.UNSUPPORTED_KEY;
    }

    /**
     * A {@code jwksUri} (or an issuer's discovered {@code jwks_uri}) as Istio accepts it (ParseJwksURI): an http or
     * https URL; Windlass also asks for a host, which any fetch needs. Empty when fine, else what is wrong.
     */
    public static Optional<String> uriProblem(String uri) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            return Optional.of("invalid URI: " + e.getReason());
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("URI scheme \"" + scheme + "\" is not supported");
        }
        if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
            return Optional.of("the URI has no host (or an invalid port)");
        }
        return Optional.empty();
    }
}
