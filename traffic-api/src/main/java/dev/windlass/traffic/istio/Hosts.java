package dev.windlass.traffic.istio;

/**
 * Istio's host names in rules. A name without a dot is short for a Service of the rule's own namespace
 * ({@code reviews} in bookinfo is {@code reviews.bookinfo.svc.cluster.local}); anything with a dot, {@code *},
 * and IP addresses are taken as written (Istio's ResolveShortnameToFQDN).
 */
public final class Hosts {
    private Hosts() {
    }

    public static String resolve(String host, String namespace, String clusterDomain) {
        if (host == null || host.isEmpty() || host.equals("*") || host.contains(".") || host.contains(":")) {
            return host;
        }
        return host + "." + namespace + ".svc." + clusterDomain;
    }
}
