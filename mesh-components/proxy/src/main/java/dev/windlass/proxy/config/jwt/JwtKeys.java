package dev.windlass.proxy.config.jwt;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.windlass.proxy.config.InvalidConfigException;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A JWKS (RFC 7517) parsed once per configuration into public keys: RSA keys (RS256) and EC keys on P-256 (ES256),
 * the algorithms Windlass verifies. Any other key makes the JWKS invalid, so that a provider never silently loses
 * keys its issuer signs with.
 */
public final class JwtKeys {
    private JwtKeys() {
    }

    /** One key: its {@code kid} (null when absent), the algorithm it verifies and the key itself. */
    public record Key(String kid, String alg, PublicKey publicKey) {
    }

    public static List<Key> parse(String where, String jwks) throws InvalidConfigException {
        JsonElement keys;
        try {
            keys = JsonParser.parseString(jwks).getAsJsonObject().get("keys");
        } catch (JsonParseException | IllegalStateException e) {
            throw new InvalidConfigException(where + ": Jwks is an invalid JSON");
        }
        if (keys == null || !keys.isJsonArray() || keys.getAsJsonArray().isEmpty()) {
            throw new InvalidConfigException(where + ": Jwks does not have [keys] field");
        }
        List<Key> parsed = new ArrayList<>();
        for (JsonElement key : keys.getAsJsonArray()) {
            parsed.add(key(where, key.getAsJsonObject()));
        }
        return List.copyOf(parsed);
    }

    private static Key key(String where, JsonObject jwk) throws InvalidConfigException {
        String kty = text(jwk, "kty");
        String kid = text(jwk, "kid");
        String alg = text(jwk, "alg");
        try {
            if ("RSA".equals(kty) && (alg == null || alg.equals("RS256"))) {
                RSAPublicKeySpec spec = new RSAPublicKeySpec(unsigned(jwk, "n"), unsigned(jwk, "e"));
                return new Key(kid, "RS256", KeyFactory.getInstance("RSA").generatePublic(spec));
            }
            if ("EC".equals(kty) && "P-256".equals(text(jwk, "crv")) && (alg == null || alg.equals("ES256"))) {
                AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
                parameters.init(new ECGenParameterSpec("secp256r1"));
                ECPublicKeySpec spec = new ECPublicKeySpec(new ECPoint(unsigned(jwk, "x"), unsigned(jwk, "y")),
                        parameters.getParameterSpec(ECParameterSpec.class));
                return new Key(kid, "ES256", KeyFactory.getInstance("EC").generatePublic(spec));
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidConfigException(where + ": Jwks key " + kid + " does not parse: " + e.getMessage());
        }
        throw new InvalidConfigException(where + ": Jwks key " + kid + " (kty " + kty + ", alg " + alg
                + ") is not supported by Windlass: RSA (RS256) and EC P-256 (ES256) keys only");
    }

    private static String text(JsonObject jwk, String name) {
        JsonElement value = jwk.get(name);
        return value != null && value.isJsonPrimitive() ? value.getAsString() : null;
    }

    private static BigInteger unsigned(JsonObject jwk, String name) {
        String value = text(jwk, name);
        if (value == null) {
            throw new IllegalArgumentException("[" + name + "] is missing");
        }
        return new BigInteger(1, Base64.getUrlDecoder().decode(value));
    }
}
