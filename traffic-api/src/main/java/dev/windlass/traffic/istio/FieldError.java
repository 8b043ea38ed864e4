package dev.windlass.traffic.istio;

/** One thing wrong with a resource: the field's path ({@code spec.http[0].timeout}) and what is wrong with it. */
public record FieldError(String path, String message) {

    public static final String NOT_SUPPORTED = "not supported by Windlass";

    public static FieldError notSupported(String path) {
        return new FieldError(path, NOT_SUPPORTED);
    }

    /** A value Windlass does not implement: reads {@code not supported by Windlass: <path> (<what>)}. */
    public static FieldError notSupported(String path, String what) {
        return new FieldError(path, NOT_SUPPORTED + " (" + what + ")");
    }

    @Override
    public String toString() {
        if (message.equals(NOT_SUPPORTED) || message.startsWith(NOT_SUPPORTED + " (")) {
            return NOT_SUPPORTED + ": " + path + message.substring(NOT_SUPPORTED.length());
        }
        return path + ": " + message;
    }
}
