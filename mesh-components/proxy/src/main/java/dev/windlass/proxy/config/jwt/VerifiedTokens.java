package dev.windlass.proxy.config.jwt;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The tokens one provider has verified, by their text, as Envoy's JWT cache keeps them: a client sends the same
 * token again and again, and a signature check costs tens (RS256) to hundreds (ES256, in the JDK) of microseconds.
 * A hit still has its time window checked. Bounded: when full it starts over, which costs only re-verification.
 * Part of the compiled provider, so a configuration update (new keys) starts empty.
 */
public final class VerifiedTokens {
    static final int CAPACITY = 100;
    private final ConcurrentHashMap<String, JwtToken> tokens = new ConcurrentHashMap<>();

    JwtToken get(String text) {
        return tokens.get(text);
    }

    void put(String text, JwtToken token) {
        if (tokens.size() >= CAPACITY) {
            tokens.clear();
        }
        tokens.put(text, token);
    }
}
