package dev.windlass.profiles;

/** Bad values: the message names where they came from (file, flag or profile) and the path at fault. */
public final class ValuesException extends RuntimeException {
    public ValuesException(String source, String path, String problem) {
        super(source + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
    }

    public ValuesException(String message) {
        super(message);
    }
}
