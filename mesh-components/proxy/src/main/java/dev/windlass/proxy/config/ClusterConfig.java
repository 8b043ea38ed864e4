package dev.windlass.proxy.config;

import java.util.List;

/**
 * A cluster, translated. {@code edsName} is the ClusterLoadAssignment name to subscribe to (EDS clusters only);
 * {@code staticEndpoints} come from the cluster's own load_assignment (STATIC and DNS clusters).
 */
public record ClusterConfig(String name, Type type, LbPolicy lbPolicy, Protocol protocol, String edsName,
                            List<UpstreamEndpoint> staticEndpoints, String sourceAddress, String serviceHost) {

    public enum Type { EDS, STATIC, STRICT_DNS, LOGICAL_DNS, ORIGINAL_DST }

    public enum LbPolicy { ROUND_ROBIN, LEAST_REQUEST, RANDOM }

    /** Which protocol upstream connections speak: HTTP/1.1, h2c, or whatever the downstream spoke. */
    public enum Protocol { HTTP1, HTTP2, DOWNSTREAM }

    public ClusterConfig {
        staticEndpoints = List.copyOf(staticEndpoints);
    }

    public ClusterConfig(String name, Type type, LbPolicy lbPolicy, Protocol protocol, String edsName,
                         List<UpstreamEndpoint> staticEndpoints, String sourceAddress) {
        this(name, type, lbPolicy, protocol, edsName, staticEndpoints, sourceAddress, serviceHostOf(name));
    }

    /** Istio's service name in {@code outbound|<port>|<subset>|<fqdn>}, or null for other names; kept, not recomputed per request. */
    static String serviceHostOf(String name) {
        int last = name.lastIndexOf('|');
        if (last < 0 || last == name.length() - 1 || name.chars().filter(c -> c == '|').count() != 3) {
            return null;
        }
        return name.substring(last + 1);
    }
}
