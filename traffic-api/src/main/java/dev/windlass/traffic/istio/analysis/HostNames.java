package dev.windlass.traffic.istio.analysis;

import java.util.List;

/** Istio's host names in rules: exact, {@code *.suffix} or {@code *}; and exportTo as analysis reads it. */
final class HostNames {
    private HostNames() {
    }

    /** Whether {@code pattern} names {@code host} (a concrete name). */
    static boolean matches(String pattern, String host) {
        if (pattern.equals("*") || pattern.equals(host)) {
            return true;
        }
        return pattern.startsWith("*") && host.endsWith(pattern.substring(1)) && host.length() > pattern.length() - 1;
    }

    /** Whether two patterns name at least one common host (Istio's host.Name.Matches). */
    static boolean overlap(String a, String b) {
        if (a.equals(b) || a.equals("*") || b.equals("*")) {
            return true;
        }
        boolean wildA = a.startsWith("*");
        boolean wildB = b.startsWith("*");
        if (wildA && wildB) {
            String sa = a.substring(1);
            String sb = b.substring(1);
            return sa.endsWith(sb) || sb.endsWith(sa);
        }
        return wildA ? matches(a, b) : wildB && matches(b, a);
    }

    /** Whether a resource with this {@code exportTo} in {@code own} is visible from {@code namespace}. */
    static boolean visible(List<String> exportTo, String own, String namespace) {
        if (exportTo.isEmpty() || exportTo.contains("*")) {
            return true;
        }
        return exportTo.contains(namespace) || exportTo.contains(".") && own.equals(namespace);
    }
}
