package dev.windlass.discovery.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.windlass.traffic.istio.JwtKeys;

import java.io.IOException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The documents {@link JwksResolver} fetches, read: a JWKS reduced to the keys the proxies verify with (an issuer's
 * set often also lists keys of other types; the proxy would refuse the whole configuration for one of them, so they
 * are left out and named in the log), and an OpenID configuration's {@code jwks_uri}.
 */
final class JwksDocuments {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The verifiable keys as a JWKS (null when there are none) and the keys left out, described for the log. */
    record Reduced(String jwks, List<String> leftOut) {
    }

    private JwksDocuments() {
    }

    static Reduced reduce(String document) throws IOException {
        JsonNode keys = parse(document).path("keys");
        if (!keys.isArray()) {
            throw new IOException("not a JWKS: no [keys] array");
        }
        ArrayNode kept = JSON.createArrayNode();
        List<String> leftOut = new ArrayList<>();
        for (JsonNode key : keys) {
            if (JwtKeys.support(key) == JwtKeys.Support.VERIFIABLE && decodes(key)) {
                kept.add(key);
            } else {
                leftOut.add("kid " + key.path("kid").asText("(none)") + " (kty " + key.path("kty").asText("?")
                        + ", alg " + key.path("alg").asText("?") + ")");
            }
        }
        return new Reduced(kept.isEmpty() ? null : JSON.createObjectNode().set("keys", kept).toString(), List.copyOf(leftOut));
    }

    /** The {@code jwks_uri} of an OpenID configuration, an http(s) URL. */
    static String jwksUri(String openIdConfiguration) throws IOException {
        JsonNode uri = parse(openIdConfiguration).path("jwks_uri");
        if (!uri.isTextual()) {
            throw new IOException("the OpenID configuration has no jwks_uri");
        }
        String problem = JwtKeys.uriProblem(uri.asText()).orElse(null);
        if (problem != null) {
            throw new IOException("its jwks_uri " + JwksSource.loggable(uri.asText()) + ": " + problem);
        }
        return uri.asText();
    }

    private static JsonNode parse(String document) throws IOException {
        try {
            return JSON.readTree(document);
        } catch (JsonProcessingException e) {
            throw new IOException("not JSON: " + e.getOriginalMessage());
        }
    }

    /** Whether the proxy can build the key: its numbers decode (base64url) and make an RSA or P-256 public key. */
    private static boolean decodes(JsonNode key) {
        try {
            if (key.path("kty").asText().equals("RSA")) {
                KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(unsigned(key, "n"), unsigned(key, "e")));
            } else {
                AlgorithmParameters curve = AlgorithmParameters.getInstance("EC");
                curve.init(new ECGenParameterSpec("secp256r1"));
                KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(unsigned(key, "x"), unsigned(key, "y")),
                        curve.getParameterSpec(ECParameterSpec.class)));
            }
            return true;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static BigInteger unsigned(JsonNode key, String name) {
        return new BigInteger(1, Base64.getUrlDecoder().decode(key.path(name).asText()));
    }
}
