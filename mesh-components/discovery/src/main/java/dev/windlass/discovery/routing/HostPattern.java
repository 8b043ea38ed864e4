package dev.windlass.discovery.routing;

/** Istio's host names: exact, {@code *.suffix} (any name under suffix), or {@code *}. */
public final class HostPattern {
    private HostPattern() {
    }

    public static boolean matches(String pattern, String host) {
        if (pattern.equals("*") || pattern.equals(host)) {
            return true;
        }
        return pattern.startsWith("*.") && host.length() > pattern.length() - 1
                && host.endsWith(pattern.substring(1));
    }

    /** How specific a pattern is: exact names beat any wildcard, and longer wildcards beat shorter ones. */
    public static int specificity(String pattern) {
        return pattern.startsWith("*") ? pattern.length() : Integer.MAX_VALUE;
    }
}
