package dev.windlass.samples.streamecho;

/**
 * Which message of each connection or stream the server leaves unanswered (env {@code DROP_MESSAGE}, counted from 0):
 * a faulty echo, so that a test can see the client notice a lost message.
 */
public record DropRule(long index) {
    public static final DropRule NONE = new DropRule(-1);

    static DropRule fromEnv(String value) {
        return value == null || value.isBlank() ? NONE : new DropRule(Long.parseLong(value.strip()));
    }

    boolean drops(long messageIndex) {
        return messageIndex == index;
    }
}
