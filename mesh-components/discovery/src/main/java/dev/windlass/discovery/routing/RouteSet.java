package dev.windlass.discovery.routing;

import java.time.Instant;
import java.util.List;

/**
 * The routes of one resource for a set of hosts: an Istio VirtualService today, a Gateway API route later.
 * Hosts are FQDNs or wildcards, already resolved against the resource's namespace.
 */
public record RouteSet(String source, String namespace, String name, Instant created, List<String> hosts,
                       Visibility visibility, List<HttpRule> http, List<L4Rule> tls, List<L4Rule> tcp) {
    public RouteSet {
        hosts = List.copyOf(hosts);
        http = List.copyOf(http);
        tls = List.copyOf(tls);
        tcp = List.copyOf(tcp);
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
