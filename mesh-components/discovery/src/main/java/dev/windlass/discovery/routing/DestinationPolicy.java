package dev.windlass.discovery.routing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The traffic policy for one host (a DestinationRule): settings at destination level and per port, and the
 * subsets, each with its own; {@link #settings} merges them for one cluster as Istio does.
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
     * max_pending_requests, max_requests, max_requests_per_connection, max_retries, idle_timeout; the upstream
     * connection options' tcp_keepalive (null: not set) and max_connection_duration; {@code h2Upgrade}
     * (h2UpgradePolicy UPGRADE) and {@code maxConcurrentStreams} for the cluster's http2_protocol_options; null
     * fields are not set (unlimited, or Envoy's default).
     */
    public record ConnectionPool(Integer maxConnections, java.time.Duration connectTimeout, Integer maxPendingRequests,
                                 Integer maxRequests, Integer maxRequestsPerConnection, Integer maxRetries,
                                 java.time.Duration idleTimeout,
                                 TcpKeepalive tcpKeepalive, java.time.Duration maxConnectionDuration,
                                 boolean h2Upgrade, Integer maxConcurrentStreams) {
        public ConnectionPool(Integer maxConnections, java.time.Duration connectTimeout, Integer maxPendingRequests,
                              Integer maxRequests, Integer maxRequestsPerConnection, Integer maxRetries,
                              java.time.Duration idleTimeout, TcpKeepalive tcpKeepalive,
                              java.time.Duration maxConnectionDuration) {
            this(maxConnections, connectTimeout, maxPendingRequests, maxRequests, maxRequestsPerConnection, maxRetries,
                    idleTimeout, tcpKeepalive, maxConnectionDuration, false, null);
        }
    }

    /** SO_KEEPALIVE with these overrides of the kernel's defaults (null: the kernel's). */
    public record TcpKeepalive(Integer probes, java.time.Duration time, java.time.Duration interval) {
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
     * A level's load balancing, with its consistent hash when it is CONSISTENT_HASH, and its warmupDurationSecs
     * (slow start; validation lets it through with ROUND_ROBIN and LEAST_REQUEST only) or null.
     */
    public record LoadBalancer(LoadBalancing loadBalancing, ConsistentHash hash, java.time.Duration warmup) {
        public LoadBalancer(LoadBalancing loadBalancing, ConsistentHash hash) {
            this(loadBalancing, hash, null);
        }
    }

    /** One level's own settings and its ports' ({@code portLevelSettings}, by port number). */
    public record Policy(TrafficSettings own, Map<Integer, TrafficSettings> perPort) {
        public static final Policy NONE = new Policy(TrafficSettings.NONE, Map.of());

        public Policy {
            perPort = Map.copyOf(perPort);
        }

        /** This level's settings on {@code port}: the port's own, else the level's. */
        TrafficSettings at(int port) {
            return perPort.getOrDefault(port, TrafficSettings.NONE).over(own);
        }

        boolean hasOutlierDetection() {
            return own.outlier() != null || perPort.values().stream().anyMatch(s -> s.outlier() != null);
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

    /**
     * The settings of the cluster (port, subset), as Istio merges them: each of load balancing, connection pool,
     * outlier detection and TLS origination from the subset's port setting, else the subset's own, else the rule's
     * port setting, else the rule's own.
     */
    public TrafficSettings settings(int port, String subsetName) {
        return subset(subsetName).map(Subset::policy).orElse(Policy.NONE).at(port).over(policy.at(port));
    }

    /** Whether any level sets outlier detection (which turns on the mesh default's locality failover). */
    public boolean hasOutlierDetection() {
        return policy.hasOutlierDetection() || subsets.stream().anyMatch(s -> s.policy().hasOutlierDetection());
    }
}
