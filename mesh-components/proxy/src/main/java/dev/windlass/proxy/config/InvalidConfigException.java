package dev.windlass.proxy.config;

/** A resource the proxy refuses: the whole xDS response carrying it is NACKed with this message. */
public final class InvalidConfigException extends Exception {
    public InvalidConfigException(String message) {
        super(message);
    }

    public InvalidConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
