package dev.windlass.contract;

/**
 * A workload's identity, as Istio spells it: {@code spiffe://<trust domain>/ns/<namespace>/sa/<service account>}.
 * The CA writes it as the only URI SAN of a workload certificate; proxies read it back from their peer's.
 */
public record SpiffeId(String trustDomain, String namespace, String serviceAccount) {
    public static final String SCHEME = "spiffe://";
    public static final String DEFAULT_TRUST_DOMAIN = "cluster.local";

    public SpiffeId {
        for (String part : new String[]{trustDomain, namespace, serviceAccount}) {
            if (part == null || part.isEmpty() || part.contains("/")) {
                throw new IllegalArgumentException("not a SPIFFE id part: '" + part + "'");
            }
        }
    }

    public String uri() {
        return SCHEME + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
    }

    /** Parses {@code spiffe://td/ns/NS/sa/SA}; anything else is an IllegalArgumentException naming the input. */
    public static SpiffeId parse(String uri) {
        String[] parts = uri.startsWith(SCHEME) ? uri.substring(SCHEME.length()).split("/", -1) : new String[0];
        if (parts.length != 5 || !parts[1].equals("ns") || !parts[3].equals("sa")) {
            throw new IllegalArgumentException("not a workload SPIFFE id (spiffe://<td>/ns/<ns>/sa/<sa>): " + uri);
        }
        return new SpiffeId(parts[0], parts[2], parts[4]);
    }

    @Override
    public String toString() {
        return uri();
    }
}
