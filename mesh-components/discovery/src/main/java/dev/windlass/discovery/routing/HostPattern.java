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

    /**
     * Istio's host.Name.SubsetOf: every host {@code pattern} names is also named by {@code other}
     * ({@code a.example.com} of {@code *.example.com}, {@code *.a.example.com} of {@code *.example.com}, anything of {@code *}).
     */
    public static boolean subsetOf(String pattern, String other) {
        if (pattern.startsWith("*")) {
            return other.startsWith("*") && pattern.substring(1).endsWith(other.substring(1));
        }
        return other.startsWith("*") ? pattern.endsWith(other.substring(1)) : pattern.equals(other);
    }

    /** Whether two patterns name at least one host in common (Istio's host.Name.Matches). */
    public static boolean overlap(String a, String b) {
        return subsetOf(a, b) || subsetOf(b, a);
    }

    /**
     * Istio's host.Names.Intersection: for each pair that overlaps, the more specific of the two; in the order of
     * {@code first}, without repeats.
     */
    public static java.util.List<String> intersection(java.util.List<String> first, java.util.List<String> second) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String a : first) {
            for (String b : second) {
                String common = subsetOf(a, b) ? a : subsetOf(b, a) ? b : null;
                if (common != null && !out.contains(common)) {
                    out.add(common);
                }
            }
        }
        return out;
    }

    /** How specific a pattern is: exact names beat any wildcard, and longer wildcards beat shorter ones. */
    public static int specificity(String pattern) {
        return pattern.startsWith("*") ? pattern.length() : Integer.MAX_VALUE;
    }
}
