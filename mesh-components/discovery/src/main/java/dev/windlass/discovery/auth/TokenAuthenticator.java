package dev.windlass.discovery.auth;

/** Turns a bearer token into the caller it was issued to, or refuses it. */
public interface TokenAuthenticator {
    /** Refused: the message says why (never the token itself). */
    final class Unauthenticated extends Exception {
        public Unauthenticated(String message) {
            super(message);
        }
    }

    Caller authenticate(String token) throws Unauthenticated;
}
