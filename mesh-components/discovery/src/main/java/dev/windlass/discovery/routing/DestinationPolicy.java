package dev.windlass.discovery.routing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The traffic policy for one host (a DestinationRule): load balancing at destination level and per port, and
 * the subsets, each with its own. Istio's override order for a cluster of (port, subset): the subset's port
 * setting, the subset's own, the destination's port setting, the destination's own. A connection pool is taken
 * whole from the subset when it has one, else from the destination (Istio's merge of traffic policies); so is
 * outlier detection.
 */
public record DestinationPolicy(String source, String namespace, String name, Instant created, String host,
                                Visibility visibility, Policy policy, List<Subset> subsets, LocalityLb locality) {

    public DestinationPolicy {
        subsets = List.copyOf(subsets);
    }

    /**
     * The top-level localityLbSetting, null when not set (the mesh default applies: Istio's is enabled, with no
     * rules), {@link #DISABLED} for {@code enabled: false}: traffic shares by locality ({@code distribute}, first rule
     * whose {@code from} matches the client) or, with outlier detection, fails over by proximity and then to the
     * {@code failover} target region.
     */
    public record LocalityLb(boolean enabled, List<Distribute> distribute, List<Failover> failover) {
        public static final LocalityLb DISABLED = new LocalityLb(false, List.of(), List.of());
        /** Istio's mesh-wide default (meshConfig localityLbSetting enabled): failover by proximity only. */
        public static final LocalityLb MESH_DEFAULT = new LocalityLb(true, List.of(), List.of());

        public LocalityLb {
            distribute = List.copyOf(distribute);
            failover = List.copyOf(failover);
        }

        /** {@code to}: locality pattern to weight, sorted by pattern (so that the EDS output is stable). */
        public record Distribute(String from, java.util.SortedMap<String, Integer> to) {
        }

        public record Failover(String fromRegion, String toRegion) {
        }
    }

    /** CONSISTENT_HASH: the level that chose it says how ({@link ConsistentHash}). */
    public enum LoadBalancing { ROUND_ROBIN, LEAST_REQUEST, RANDOM, PASSTHROUGH, CONSISTENT_HASH }

    /**
     * Consistent hashing by {@code key}: on a ring of at least {@code minimumRingSize} points (null: Envoy's 1024),
     * or with {@code maglev} on a Maglev table of {@code maglevTableSize} entries (null: Envoy's 65537).
     */
    public record ConsistentHash(HashKey key, Long minimumRingSize, boolean maglev, Long maglevTableSize) {
    }

    /** What a request is hashed by: Istio's ConsistentHashLB hash keys. */
    public sealed interface HashKey {
        record Header(String name) implements HashKey {
        }

        /** A cookie; {@code ttl} is the lifetime of the one the proxy generates when the request lacks it. */
        record Cookie(String name, String path, java.time.Duration ttl) implements HashKey {
        }

        record SourceIp() implements HashKey {
        }

        record QueryParameter(String name) implements HashKey {
        }
    }

    /**
     * Istio's connection pool, as Envoy's cluster settings: max_connections, connect_timeout,
     * max_pending_requests, max_requests, max_requests_per_connection, max_retries, idle_timeout; {@code h2Upgrade}
     * (h2UpgradePolicy UPGRADE) and {@code maxConcurrentStreams} for the cluster's http2_protocol_options. Null
     * fields are not set (unlimited, or Envoy's default).
     */
    public record ConnectionPool(Integer maxConnections, java.time.Duration connectTimeout, Integer maxPendingRequests,
                                 Integer maxRequests, Integer maxRequestsPerConnection, Integer maxRetries,
                                 java.time.Duration idleTimeout, boolean h2Upgrade, Integer maxConcurrentStreams) {
        public ConnectionPool(Integer maxConnections, java.time.Duration connectTimeout, Integer maxPendingRequests,
                              Integer maxRequests, Integer maxRequestsPerConnection, Integer maxRetries,
                              java.time.Duration idleTimeout) {
            this(maxConnections, connectTimeout, maxPendingRequests, maxRequests, maxRequestsPerConnection, maxRetries,
                    idleTimeout, false, null);
        }
    }

    /**
     * Istio's outlier detection; null counts and durations are not set (Envoy's defaults apply), percentages
     * are 0 when not set (no maxEjectionPercent written; a panic threshold of 0, as Istio writes it).
     */
    public record OutlierDetection(Integer consecutive5xxErrors, Integer consecutiveGatewayErrors,
                                   Integer consecutiveLocalOriginFailures, boolean splitExternalLocalOriginErrors,
                                   java.time.Duration interval, java.time.Duration baseEjectionTime,
                                   int maxEjectionPercent, int minHealthPercent) {
    }

    /**
     * Load balancing, or null when not said, with its consistent hash when it is CONSISTENT_HASH; per-port
     * overrides, with their consistent hashes; the connection pool and outlier detection or null; the
     * loadBalancer's warmupDurationSecs (slow start) or null.
     */
    public record Policy(LoadBalancing loadBalancing, ConsistentHash hash, Map<Integer, LoadBalancing> perPort,
                         Map<Integer, ConsistentHash> perPortHash, ConnectionPool pool, OutlierDetection outlier,
                         java.time.Duration warmup) {
        public static final Policy NONE = new Policy(null, null, Map.of(), Map.of(), null, null);

        public Policy {
            perPort = Map.copyOf(perPort);
            perPortHash = Map.copyOf(perPortHash);
        }

        public Policy(LoadBalancing loadBalancing, ConsistentHash hash, Map<Integer, LoadBalancing> perPort,
                      Map<Integer, ConsistentHash> perPortHash, ConnectionPool pool, OutlierDetection outlier) {
            this(loadBalancing, hash, perPort, perPortHash, pool, outlier, null);
        }

        /** The consistent hash that applies on {@code port}: the port's own when the port sets load balancing. */
        ConsistentHash hashAt(int port) {
            return perPort.containsKey(port) ? perPortHash.get(port) : hash;
        }

        LoadBalancing at(int port) {
            return perPort.getOrDefault(port, loadBalancing);
        }
    }

    public record Subset(String name, Map<String, String> labels, Policy policy) {
        public Subset {
            labels = Map.copyOf(labels);
        }

        /** Whether an endpoint with these pod labels belongs to the subset. */
        public boolean selects(Map<String, String> podLabels) {
            return labels.entrySet().stream().allMatch(e -> e.getValue().equals(podLabels.get(e.getKey())));
        }
    }

    public Optional<Subset> subset(String subsetName) {
        return subsets.stream().filter(s -> s.name().equals(subsetName)).findFirst();
    }

    /** The connection pool of the subset's clusters (the subset's own, else the destination's), or empty. */
    public Optional<ConnectionPool> connectionPool(String subsetName) {
        ConnectionPool own = subset(subsetName).map(s -> s.policy().pool()).orElse(null);
        return Optional.ofNullable(own != null ? own : policy.pool());
    }

    /** The outlier detection of the subset's clusters (the subset's own, else the destination's), or empty. */
    public Optional<OutlierDetection> outlierDetection(String subsetName) {
        OutlierDetection own = subset(subsetName).map(s -> s.policy().outlier()).orElse(null);
        return Optional.ofNullable(own != null ? own : policy.outlier());
    }

    /**
     * The consistent hash of the cluster (port, subset) when its load balancing is CONSISTENT_HASH: the subset's
     * (or its port setting's) when the subset chose it, else the destination's (or its port setting's).
     */
    public Optional<ConsistentHash> consistentHash(int port, String subsetName) {
        if (loadBalancing(port, subsetName) != LoadBalancing.CONSISTENT_HASH) {
            return Optional.empty();
        }
        Policy own = subset(subsetName).map(Subset::policy).orElse(Policy.NONE);
        return Optional.ofNullable(own.at(port) == LoadBalancing.CONSISTENT_HASH ? own.hashAt(port) : policy.hashAt(port));
    }

    /** The load balancing of the cluster (port, subset); ROUND_ROBIN when nothing says otherwise. */
    public LoadBalancing loadBalancing(int port, String subsetName) {
        LoadBalancing chosen = subset(subsetName).map(s -> s.policy().at(port)).orElse(null);
        if (chosen == null) {
            chosen = policy.at(port);
        }
        return chosen == null ? LoadBalancing.ROUND_ROBIN : chosen;
    }
}
