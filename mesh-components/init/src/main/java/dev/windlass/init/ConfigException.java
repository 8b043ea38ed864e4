package dev.windlass.init;

/** The command line or the environment is wrong; {@link Main} exits with code 2 and this message. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
