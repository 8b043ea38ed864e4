package dev.windlass.discovery.routing;

/**
 * A condition on one string (a path, a header, a query parameter), as Istio and Gateway API both express it:
 * exact, prefix, regex (RE2, whole string) or mere presence.
 */
public record TextMatch(Kind kind, String value, boolean ignoreCase) {

    public enum Kind { EXACT, PREFIX, REGEX, PRESENT }

    public static TextMatch exact(String value) {
        return new TextMatch(Kind.EXACT, value, false);
    }

    public static TextMatch prefix(String value) {
        return new TextMatch(Kind.PREFIX, value, false);
    }

    public static TextMatch regex(String value) {
        return new TextMatch(Kind.REGEX, value, false);
    }

    public static TextMatch present() {
        return new TextMatch(Kind.PRESENT, null, false);
    }
}
