package dev.windlass.init;

/** A setting has a value that cannot be used; the message names the variable or flag, the value and why. */
public final class InvalidValueException extends ConfigException {
    private final String source;
    private final String value;

    /**
     * @param source the environment variable ({@code EXCLUDE_INBOUND_PORTS}) or flag ({@code --exclude-inbound-ports})
     * @param value  the whole value as given
     * @param reason what is wrong with it, naming the bad item
     */
    public InvalidValueException(String source, String value, String reason) {
        super(source + "=" + value + ": " + reason);
        this.source = source;
        this.value = value;
    }

    public String source() {
        return source;
    }

    public String value() {
        return value;
    }
}
