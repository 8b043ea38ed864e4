package dev.windlass.proxy.config.jwt;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.List;
import java.util.Set;

/**
 * One jwt_authn provider, compiled: the issuer it accepts, the audiences (none: any), its keys, where its token is
 * read from and what the app is given once it verifies. {@link #verify} checks a parsed token as Envoy's
 * authenticator does: issuer, audience, time window (with the clock skew), then a key matching kid and alg, then the
 * signature. Verified texts are remembered ({@link VerifiedTokens}).
 */
public record JwtProviderRule(String name, String issuer, Set<String> audiences, List<JwtKeys.Key> keys,
                              List<HeaderLocation> headers, List<String> params, boolean forward,
                              String payloadHeader, List<ClaimHeader> claimHeaders, long clockSkewSeconds,
                              VerifiedTokens verified) {
    private static final ThreadLocal<Signature> RS256 = ThreadLocal.withInitial(() -> signature("SHA256withRSA"));
    private static final ThreadLocal<Signature> ES256 = ThreadLocal.withInitial(() -> signature("SHA256withECDSAinP1363Format"));

    /** A header the token is read from (lower-case name); {@code prefix} precedes the token in its value. */
    public record HeaderLocation(String name, String prefix) {
    }

    /** A claim the app receives in a header. */
    public record ClaimHeader(String header, String claim) {
    }

    public JwtProviderRule {
        audiences = Set.copyOf(audiences);
        keys = List.copyOf(keys);
        headers = List.copyOf(headers);
        params = List.copyOf(params);
        claimHeaders = List.copyOf(claimHeaders);
    }

    /** The token's status, from the cache when this provider verified the same text before. */
    public JwtStatus verify(String text, long nowSeconds, JwtToken[] verifiedOut) {
        JwtToken known = verified.get(text);
        if (known != null) {
            JwtStatus status = timeWindow(known, nowSeconds);
            verifiedOut[0] = status == JwtStatus.OK ? known : null;
            return status;
        }
        JwtToken.Parsed parsed = JwtToken.parse(text);
        if (parsed.token() == null) {
            return parsed.status();
        }
        JwtStatus status = verify(parsed.token(), nowSeconds);
        if (status == JwtStatus.OK) {
            verified.put(text, parsed.token());
            verifiedOut[0] = parsed.token();
        }
        return status;
    }

    public JwtStatus verify(JwtToken token, long nowSeconds) {
        if (!token.iss.equals(issuer)) {
            return JwtStatus.UNKNOWN_ISSUER;
        }
        if (!audiences.isEmpty() && token.audiences.stream().noneMatch(a -> audiences.contains(normalizedAudience(a)))) {
            return JwtStatus.AUDIENCE_NOT_ALLOWED;
        }
        JwtStatus window = timeWindow(token, nowSeconds);
        if (window != JwtStatus.OK) {
            return window;
        }
        boolean tried = false;
        for (int i = 0; i < keys.size(); i++) {
            JwtKeys.Key key = keys.get(i);
            if (!key.alg().equals(token.alg) || token.kid != null && key.kid() != null && !key.kid().equals(token.kid)) {
                continue;
            }
            tried = true;
            if (signed(key, token)) {
                return JwtStatus.OK;
            }
        }
        return tried ? JwtStatus.VERIFICATION_FAIL : JwtStatus.KID_ALG_MISMATCH;
    }

    private JwtStatus timeWindow(JwtToken token, long nowSeconds) {
        if (token.nbf > nowSeconds + clockSkewSeconds) {
            return JwtStatus.NOT_YET_VALID;
        }
        if (token.exp > 0 && token.exp < nowSeconds - clockSkewSeconds) {
            return JwtStatus.EXPIRED;
        }
        return JwtStatus.OK;
    }

    private static boolean signed(JwtKeys.Key key, JwtToken token) {
        Signature verifier = (key.alg().equals("RS256") ? RS256 : ES256).get();
        try {
            verifier.initVerify(key.publicKey());
            verifier.update(token.signedInput);
            return verifier.verify(token.signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** jwt_verify_lib compares audiences without their scheme and trailing slash. */
    public static String normalizedAudience(String audience) {
        String a = audience.startsWith("http://") ? audience.substring(7)
                : audience.startsWith("https://") ? audience.substring(8) : audience;
        return a.endsWith("/") ? a.substring(0, a.length() - 1) : a;
    }

    private static Signature signature(String algorithm) {
        try {
            return Signature.getInstance(algorithm);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no " + algorithm, e);
        }
    }
}
