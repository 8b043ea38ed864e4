package dev.windlass.init;

/** Applying the rules failed; {@link Main} exits with code 1 and this message. */
public final class IptablesException extends RuntimeException {
    public IptablesException(String message) {
        super(message);
    }
}
