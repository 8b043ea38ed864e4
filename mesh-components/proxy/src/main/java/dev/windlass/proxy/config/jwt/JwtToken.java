package dev.windlass.proxy.config.jwt;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * A compact JWS as jwt_verify_lib reads it: header ({@code alg}, {@code kid}), payload claims, the signed input and
 * the signature. {@link #parse} returns null and leaves the reason in {@link #status} when the token is malformed.
 */
public final class JwtToken {
    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

    final String alg;
    final String kid;
    final JsonObject payload;
    final String payloadBase64;
    final String iss;
    final List<String> audiences;
    final long exp;
    final long nbf;
    final byte[] signedInput;
    final byte[] signature;

    private JwtToken(String alg, String kid, JsonObject payload, String payloadBase64, List<String> audiences,
                     byte[] signedInput, byte[] signature) {
        this.alg = alg;
        this.kid = kid;
        this.payload = payload;
        this.payloadBase64 = payloadBase64;
        this.iss = string(payload, "iss");
        this.audiences = audiences;
        this.exp = number(payload, "exp");
        this.nbf = number(payload, "nbf");
        this.signedInput = signedInput;
        this.signature = signature;
    }

    /** The outcome of parsing: a token, or the status saying why there is none. */
    public record Parsed(JwtToken token, JwtStatus status) {
    }

    public static Parsed parse(String text) {
        int first = text.indexOf('.');
        int second = first < 0 ? -1 : text.indexOf('.', first + 1);
        if (first < 0 || second < 0 || text.indexOf('.', second + 1) >= 0) {
            return new Parsed(null, JwtStatus.BAD_FORMAT);
        }
        JsonObject header = object(text.substring(0, first));
        if (header == null) {
            return new Parsed(null, JwtStatus.HEADER_PARSE_ERROR);
        }
        JsonElement alg = header.get("alg");
        if (alg == null || !alg.isJsonPrimitive() || !alg.getAsJsonPrimitive().isString()) {
            return new Parsed(null, JwtStatus.HEADER_BAD_ALG);
        }
        if (!alg.getAsString().equals("RS256") && !alg.getAsString().equals("ES256")) {
            return new Parsed(null, JwtStatus.HEADER_NOT_IMPLEMENTED_ALG);
        }
        JsonElement kid = header.get("kid");
        if (kid != null && (!kid.isJsonPrimitive() || !kid.getAsJsonPrimitive().isString())) {
            return new Parsed(null, JwtStatus.HEADER_BAD_KID);
        }
        String payloadText = text.substring(first + 1, second);
        JsonObject payload = object(payloadText);
        List<String> audiences = payload == null ? null : audiences(payload.get("aud"));
        if (payload == null || audiences == null || !claimsTyped(payload)) {
            return new Parsed(null, JwtStatus.PAYLOAD_PARSE_ERROR);
        }
        byte[] signature;
        try {
            signature = BASE64URL.decode(text.substring(second + 1));
        } catch (IllegalArgumentException e) {
            return new Parsed(null, JwtStatus.SIGNATURE_PARSE_ERROR);
        }
        return new Parsed(new JwtToken(alg.getAsString(), kid == null ? null : kid.getAsString(), payload, payloadText,
                audiences, text.substring(0, second).getBytes(StandardCharsets.US_ASCII), signature), JwtStatus.OK);
    }

    /** The verified claims, what RBAC's request principals and {@code request.auth.*} conditions read. */
    public JsonObject payload() {
        return payload;
    }

    /** The payload as it was in the token (base64url), what {@code forward_payload_header} carries. */
    public String payloadBase64() {
        return payloadBase64;
    }

    private static JsonObject object(String base64) {
        try {
            JsonElement json = JsonParser.parseString(new String(BASE64URL.decode(base64), StandardCharsets.UTF_8));
            return json.isJsonObject() ? json.getAsJsonObject() : null;
        } catch (IllegalArgumentException | JsonParseException e) {
            return null;
        }
    }

    /** {@code aud}: absent, a string or an array of strings (anything else is a malformed payload: null). */
    private static List<String> audiences(JsonElement aud) {
        if (aud == null) {
            return List.of();
        }
        if (aud.isJsonPrimitive() && aud.getAsJsonPrimitive().isString()) {
            return List.of(aud.getAsString());
        }
        if (!aud.isJsonArray()) {
            return null;
        }
        JsonArray array = aud.getAsJsonArray();
        String[] values = new String[array.size()];
        for (int i = 0; i < values.length; i++) {
            if (!array.get(i).isJsonPrimitive() || !array.get(i).getAsJsonPrimitive().isString()) {
                return null;
            }
            values[i] = array.get(i).getAsString();
        }
        return List.of(values);
    }

    /** jwt_verify_lib's typing: iss and sub strings, exp, nbf and iat numbers. */
    private static boolean claimsTyped(JsonObject payload) {
        for (String name : new String[] {"iss", "sub"}) {
            JsonElement v = payload.get(name);
            if (v != null && !(v.isJsonPrimitive() && v.getAsJsonPrimitive().isString())) {
                return false;
            }
        }
        for (String name : new String[] {"exp", "nbf", "iat"}) {
            JsonElement v = payload.get(name);
            if (v != null && !(v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber())) {
                return false;
            }
        }
        return true;
    }

    private static String string(JsonObject payload, String name) {
        JsonElement v = payload.get(name);
        return v == null ? "" : v.getAsString();
    }

    private static long number(JsonObject payload, String name) {
        JsonElement v = payload.get(name);
        return v == null ? 0 : v.getAsLong();
    }
}
