package dev.windlass.proxy.config;

import java.util.List;

/**
 * A cluster, translated. {@code edsName} is the ClusterLoadAssignment name to subscribe to (EDS clusters only);
 * {@code staticEndpoints} come from the cluster's own load_assignment (STATIC and DNS clusters); {@code dns} says
 * how often a DNS cluster's names are resolved again (null for other types); {@code outlier} is its outlier
 * detection, or null; {@code hashTableSize} the minimum ring size of a RING_HASH cluster or the table size of a MAGLEV one;
 * {@code upstream} the keepalive and maximum age of its upstream connections; {@code slowStart} the round robin or
 * least request balancer's slow start, or null; {@code transportSockets} the TLS its connections originate, per
 * endpoint (compiled).
 */
public record ClusterConfig(String name, Type type, LbPolicy lbPolicy, Protocol protocol, String edsName,
                            List<UpstreamEndpoint> staticEndpoints, String sourceAddress, String serviceHost,
                            DnsRefresh dns, Limits limits, OutlierPolicy outlier, int hashTableSize,
                            UpstreamOptions upstream, SlowStart slowStart, TransportSockets transportSockets) {

    /**
     * Envoy's circuit-breaker thresholds (default priority) and connection settings of the cluster, enforced per
     * cluster and per proxy. A threshold not set is unlimited ({@link Integer#MAX_VALUE});
     * {@code maxRequestsPerConnection} 0 means unlimited; {@code idleTimeoutMillis} closes an idle upstream
     * HTTP/1.1 connection; {@code maxConcurrentStreams} bounds the streams of one upstream h2c connection (Envoy's
     * http2_protocol_options.max_concurrent_streams).
     */
    public record Limits(int maxConnections, int maxPendingRequests, int maxRequests, int maxRetries,
                         int maxRequestsPerConnection, int connectTimeoutMillis, long idleTimeoutMillis,
                         int maxConcurrentStreams) {
        public static final int UNLIMITED = Integer.MAX_VALUE;
        public static final int DEFAULT_CONNECT_TIMEOUT_MILLIS = 10_000;
        public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 60_000;
        public static final Limits NONE = new Limits(UNLIMITED, UNLIMITED, UNLIMITED, UNLIMITED, 0,
                DEFAULT_CONNECT_TIMEOUT_MILLIS, DEFAULT_IDLE_TIMEOUT_MILLIS, UNLIMITED);

        public Limits(int maxConnections, int maxPendingRequests, int maxRequests, int maxRetries,
                      int maxRequestsPerConnection, int connectTimeoutMillis, long idleTimeoutMillis) {
            this(maxConnections, maxPendingRequests, maxRequests, maxRetries, maxRequestsPerConnection,
                    connectTimeoutMillis, idleTimeoutMillis, UNLIMITED);
        }
    }

    /**
     * Envoy's slow_start_config: a host younger than {@code windowNanos} (since the proxy first saw it in the
     * cluster) takes a share of traffic by weight max(minWeight, (age / window)^(1 / aggression)).
     */
    public record SlowStart(long windowNanos, double aggression, double minWeight) {
        /** Envoy's defaults: aggression 1.0 (linear), min_weight_percent 10. */
        public static final double DEFAULT_AGGRESSION = 1.0;
        public static final double DEFAULT_MIN_WEIGHT = 0.1;
    }

    /** Envoy's dns_refresh_rate and respect_dns_ttl: re-resolve at the answer's TTL, or at the fixed rate. */
    public record DnsRefresh(java.time.Duration rate, boolean respectTtl) {
        /** Envoy's default: every 5 s, TTL ignored. */
        public static final DnsRefresh ENVOY_DEFAULT = new DnsRefresh(java.time.Duration.ofSeconds(5), false);
    }

    /** Whether the proxy resolves this cluster's endpoint names itself. */
    public boolean resolvesNames() {
        return type == Type.STRICT_DNS || type == Type.LOGICAL_DNS;
    }

    public enum Type { EDS, STATIC, STRICT_DNS, LOGICAL_DNS, ORIGINAL_DST }

    /** RING_HASH and MAGLEV: consistent hashing by the route's hash policy (Envoy's ring hash, Maglev table). */
    public enum LbPolicy { ROUND_ROBIN, LEAST_REQUEST, RANDOM, RING_HASH, MAGLEV }

    /** Envoy's default minimum_ring_size. */
    public static final int DEFAULT_RING_SIZE = 1024;

    /** Which protocol upstream connections speak: HTTP/1.1, h2c, or whatever the downstream spoke. */
    public enum Protocol { HTTP1, HTTP2, DOWNSTREAM }

    public ClusterConfig {
        staticEndpoints = List.copyOf(staticEndpoints);
    }

    public ClusterConfig(String name, Type type, LbPolicy lbPolicy, Protocol protocol, String edsName,
                         List<UpstreamEndpoint> staticEndpoints, String sourceAddress, DnsRefresh dns, Limits limits,
                         OutlierPolicy outlier, int hashTableSize, UpstreamOptions upstream) {
        this(name, type, lbPolicy, protocol, edsName, staticEndpoints, sourceAddress, dns, limits, outlier,
                hashTableSize, upstream, null);
    }

    public ClusterConfig(String name, Type type, LbPolicy lbPolicy, Protocol protocol, String edsName,
                         List<UpstreamEndpoint> staticEndpoints, String sourceAddress, DnsRefresh dns, Limits limits,
                         OutlierPolicy outlier, int hashTableSize, UpstreamOptions upstream, SlowStart slowStart) {
        this(name, type, lbPolicy, protocol, edsName, staticEndpoints, sourceAddress, serviceHostOf(name), dns, limits,
                outlier, hashTableSize, upstream, slowStart, TransportSockets.PLAIN);
    }

    /** The same cluster, its connections made by {@code sockets}. */
    public ClusterConfig withTransportSockets(TransportSockets sockets) {
        return new ClusterConfig(name, type, lbPolicy, protocol, edsName, staticEndpoints, sourceAddress, serviceHost,
                dns, limits, outlier, hashTableSize, upstream, slowStart, sockets);
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
