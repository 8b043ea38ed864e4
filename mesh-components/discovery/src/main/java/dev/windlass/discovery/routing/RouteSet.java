package dev.windlass.discovery.routing;

import java.time.Instant;
import java.util.List;

/**
 * The routes of one resource for a set of hosts: an Istio VirtualService today, a Gateway API route later.
 * Hosts are FQDNs or wildcards, already resolved against the resource's namespace. {@code gateways} says who
 * applies the routes: {@link #MESH} for the sidecars, {@code namespace/name} for the gateway proxies that a
 * Gateway of that name configures. A match block may narrow that further (its own {@code gateways}).
 */
public record RouteSet(String source, String namespace, String name, Instant created, List<String> hosts,
                       Visibility visibility, List<String> gateways, List<HttpRule> http, List<L4Rule> tls,
                       List<L4Rule> tcp) {
    /** The binding of every sidecar of the mesh (Istio's reserved gateway name). */
    public static final String MESH = "mesh";

    public RouteSet {
        hosts = List.copyOf(hosts);
        gateways = List.copyOf(gateways);
        http = List.copyOf(http);
        tls = List.copyOf(tls);
        tcp = List.copyOf(tcp);
    }

    /** Whether the routes apply to {@code binding}: {@link #MESH} or a gateway's {@code namespace/name}. */
    public boolean boundTo(String binding) {
        return gateways.contains(binding);
    }

    /** The most specific of this set's hosts that matches {@code host}, or null. */
    public String matchingHost(String host) {
        String best = null;
        for (String pattern : hosts) {
            if (HostPattern.matches(pattern, host)
                    && (best == null || HostPattern.specificity(pattern) > HostPattern.specificity(best))) {
                best = pattern;
            }
        }
        return best;
    }
}
