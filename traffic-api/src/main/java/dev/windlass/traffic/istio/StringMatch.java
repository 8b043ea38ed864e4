package dev.windlass.traffic.istio;

/**
 * Istio's StringMatch: one of exact, prefix or regex (RE2, whole-string). All three absent is legal where Istio
 * allows it: a header match with no value means "the header is present".
 */
public record StringMatch(String exact, String prefix, String regex) {

    public enum Kind { EXACT, PREFIX, REGEX, ANY }

    public static StringMatch exact(String value) {
        return new StringMatch(value, null, null);
    }

    public static StringMatch prefix(String value) {
        return new StringMatch(null, value, null);
    }

    public static StringMatch regex(String value) {
        return new StringMatch(null, null, value);
    }

    /** How many of the three are set: Istio's oneof allows at most one. */
    public int setCount() {
        return (exact != null ? 1 : 0) + (prefix != null ? 1 : 0) + (regex != null ? 1 : 0);
    }

    public Kind kind() {
        if (exact != null) {
            return Kind.EXACT;
        }
        if (prefix != null) {
            return Kind.PREFIX;
        }
        return regex != null ? Kind.REGEX : Kind.ANY;
    }

    /** The one value set, or null for {@link Kind#ANY}. */
    public String value() {
        return exact != null ? exact : prefix != null ? prefix : regex;
    }
}
