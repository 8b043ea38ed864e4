package dev.windlass.traffic.istio;

/** One thing wrong with a resource: the field's path ({@code spec.http[0].timeout}) and what is wrong with it. */
public record FieldError(String path, String message) {

    public static final String NOT_SUPPORTED = "not supported by Windlass";

    public static FieldError notSupported(String path) {
        return new FieldError(path, NOT_SUPPORTED);
    }

    @Override
    public String toString() {
        return NOT_SUPPORTED.equals(message) ? NOT_SUPPORTED + ": " + path : path + ": " + message;
    }
}
