package dev.windlass.discovery.security;

import dev.windlass.traffic.istio.RequestAuthenticationSpec.JwtRule;

import java.util.Map;
import java.util.Optional;

/**
 * The JWKS the discovery server has fetched for RequestAuthentications' rules ({@link JwksResolver}), by source: what
 * the translation inlines as a provider's {@code local_jwks}, so that it does no I/O. A source without keys (never
 * fetched, failing, or serving no key Windlass verifies with) gets {@link #REFUSE_ALL}, as istiod inlines a fake key
 * when it has none: a request with a token is refused (fail closed), one without a token passes as before.
 */
public record ResolvedJwks(Map<JwksSource, String> keys) {
    public static final ResolvedJwks NONE = new ResolvedJwks(Map.of());
    /**
     * An RSA-2048 public key whose private key was discarded when it was generated: no token verifies with it (a token
     * with a kid is refused for the kid, one without for its signature).
     */
    public static final String REFUSE_ALL = "{\"keys\":[{\"kty\":\"RSA\",\"alg\":\"RS256\",\"kid\":\"windlass-jwks-unavailable\","
            + "\"e\":\"AQAB\",\"n\":\""
            + "vhAt850OUjCS4jSGTrPHfnCFxRX0QUn8Ild0CjnH9Nxtke_I4hKdWysaho3RekRoPgBPT-4r42N0Ltl5ykniNv0aT_5Inwq7uTeA8oYVivTXPl"
            + "8FQ_C6WwENv50KO1LR8HTfzaHxchO9Hk0ttxLonOVf8V1aFJfJNzbeKLYQNTj1KF4oTDTl2K1uyZEUiyfA2dipROnlimIhLFXkoVhmoG3IOqGD"
            + "R0mAAVH85w-v4YSLvY5zJSyvX_gipR1RNMI1prPOiZTWTel8lJODK1H5nZe9i3X2mIL1JPKJxlTPuAlsJyuyrJjaAA1fjCA72fDNT_eDcQLWbY"
            + "_2u62Su8tATQ\"}]}";

    public ResolvedJwks {
        keys = Map.copyOf(keys);
    }

    /** The keys a rule's provider is given: its inline jwks, else those fetched for it, else {@link #REFUSE_ALL}. */
    public String forRule(JwtRule rule) {
        return JwksSource.of(rule).map(source -> fetched(source).orElse(REFUSE_ALL)).orElse(rule.jwks());
    }

    public Optional<String> fetched(JwksSource source) {
        return Optional.ofNullable(keys.get(source));
    }
}
