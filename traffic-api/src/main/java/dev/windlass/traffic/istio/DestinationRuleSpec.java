package dev.windlass.traffic.istio;

import java.util.List;
import java.util.Map;

/**
 * The spec of a DestinationRule: policies for the traffic to one host, and its subsets (named groups of endpoints
 * by label). Of the connection pool, the fields Windlass enforces are read (at destination, subset and port level),
 * and outlier detection and TLS origination ({@code tls}) at all levels; the pool's other fields are refused at
 * parsing until they are implemented.
 */
public record DestinationRuleSpec(String host, TrafficPolicy trafficPolicy, List<Subset> subsets,
                                  List<String> exportTo) {

    public DestinationRuleSpec {
        subsets = Nulls.list(subsets);
        exportTo = Nulls.list(exportTo);
    }

    public record TrafficPolicy(LoadBalancer loadBalancer, ConnectionPool connectionPool,
                                OutlierDetection outlierDetection, List<PortPolicy> portLevelSettings, ClientTls tls) {
        public TrafficPolicy {
            portLevelSettings = Nulls.list(portLevelSettings);
        }
    }

    /** Istio's ConnectionPoolSettings, the fields Windlass enforces; a field not set is null (Istio's default). */
    public record ConnectionPool(Tcp tcp, Http http) {
        /**
         * {@code connectTimeout} and {@code maxConnectionDuration} are durations ("10s", "250ms");
         * {@code maxConnectionDuration} applies to HTTP upstream connections only (Envoy ignores it for TCP proxying).
         */
        public record Tcp(Integer maxConnections, String connectTimeout,
                          TcpKeepalive tcpKeepalive, String maxConnectionDuration) {
        }

        /** SO_KEEPALIVE on upstream connections, with the kernel's defaults for what is not set. */
        public record TcpKeepalive(Integer probes, String time, String interval) {
        }

        /**
         * {@code idleTimeout} is a duration; {@code h2UpgradePolicy} is DEFAULT, DO_NOT_UPGRADE or UPGRADE (HTTP/1.1
         * requests go upstream over h2c); {@code maxConcurrentStreams} bounds the streams of one upstream h2c connection.
         */
        public record Http(Integer http1MaxPendingRequests, Integer http2MaxRequests,
                           Integer maxRequestsPerConnection, Integer maxRetries, String idleTimeout,
                           String h2UpgradePolicy, Integer maxConcurrentStreams) {
            /** Istio's H2UpgradePolicy values; DEFAULT is DO_NOT_UPGRADE (Windlass has no mesh-wide policy). */
            public static final List<String> H2_UPGRADE_POLICIES = List.of("DEFAULT", "DO_NOT_UPGRADE", "UPGRADE");
        }
    }

    /**
     * Istio's OutlierDetection; null fields are not set. {@code interval} and {@code baseEjectionTime} are
     * durations; the percentages are 0-100. The deprecated {@code consecutiveErrors} is refused.
     */
    public record OutlierDetection(Integer consecutive5xxErrors, Integer consecutiveGatewayErrors,
                                   Integer consecutiveLocalOriginFailures, Boolean splitExternalLocalOriginErrors,
                                   String interval, String baseEjectionTime, Integer maxEjectionPercent,
                                   Integer minHealthPercent) {
    }

    /** A port's settings: each one set replaces the level's own whole for that port (Istio's merge). */
    public record PortPolicy(Destination.PortSelector port, LoadBalancer loadBalancer,
                             ConnectionPool connectionPool,
                             OutlierDetection outlierDetection, ClientTls tls) {
    }

    /**
     * Istio's ClientTLSSettings, the part Windlass implements (TLS origination): {@code mode} DISABLE (the default),
     * SIMPLE, MUTUAL (a client certificate of the user's: {@code clientCertificate} and {@code privateKey} files in
     * the proxy, or, at gateways, the Secret {@code credentialName} in the gateway's namespace) or ISTIO_MUTUAL (the
     * mesh's mTLS, with the proxy's workload certificate); the SNI, a CA bundle file in the proxy, the names the
     * server certificate must carry, or no verification at all. {@code caCrl} is not in the model, so the parser
     * refuses it.
     */
    public record ClientTls(String mode, String sni, String caCertificates, List<String> subjectAltNames,
                            Boolean insecureSkipVerify, String clientCertificate, String privateKey,
                            String credentialName) {
        public static final String DISABLE = "DISABLE";
        public static final String SIMPLE = "SIMPLE";
        public static final String MUTUAL = "MUTUAL";
        public static final String ISTIO_MUTUAL = "ISTIO_MUTUAL";

        public ClientTls {
            subjectAltNames = Nulls.list(subjectAltNames);
        }

        /** Istio's default mode is DISABLE. */
        public String modeOrDefault() {
            return mode == null ? DISABLE : mode;
        }

        public boolean skipsVerification() {
            return Boolean.TRUE.equals(insecureSkipVerify);
        }
    }

    /**
     * {@code simple}: ROUND_ROBIN, LEAST_REQUEST (LEAST_CONN is its deprecated name), RANDOM, PASSTHROUGH; or
     * {@code consistentHash}; {@code localityLbSetting} alone or with simple (top level only);
     * {@code warmupDurationSecs} (a duration: slow start) with ROUND_ROBIN or LEAST_REQUEST, not per port.
     */
    public record LoadBalancer(String simple, ConsistentHash consistentHash, LocalityLbSetting localityLbSetting,
                               String warmupDurationSecs) {
    }

    /**
     * Istio's LocalityLoadBalancerSetting: {@code enabled} null means true; localities in {@code distribute} are
     * {@code region/zone/subzone} with an optional trailing {@code *}; {@code failover} names regions.
     * {@code failoverPriority} is refused at parsing until it is implemented.
     */
    public record LocalityLbSetting(Boolean enabled, List<Distribute> distribute, List<Failover> failover) {
        public LocalityLbSetting {
            distribute = Nulls.list(distribute);
            failover = Nulls.list(failover);
        }

        /** Traffic from the {@code from} locality shared among the {@code to} localities by weight (summing to 100). */
        public record Distribute(String from, Map<String, Integer> to) {
            public Distribute {
                to = Nulls.map(to);
            }
        }

        public record Failover(String from, String to) {
        }
    }

    /**
     * Istio's ConsistentHashLB: one hash key (a header, a cookie, the source IP or a query parameter) and the ring
     * or Maglev table; {@code minimumRingSize} is the deprecated form of {@code ringHash.minimumRingSize}.
     */
    public record ConsistentHash(String httpHeaderName, HttpCookie httpCookie, Boolean useSourceIp,
                                 String httpQueryParameterName, RingHash ringHash, Maglev maglev, Long minimumRingSize) {
        public record RingHash(Long minimumRingSize) {
        }

        /** Maglev's lookup table size, a prime (Envoy's 65537 when not set). */
        public record Maglev(Long tableSize) {
        }

        /** The cookie to hash; {@code ttl} (a duration) is the lifetime of the cookie the proxy generates. */
        public record HttpCookie(String name, String path, String ttl) {
        }
    }

    public record Subset(String name, Map<String, String> labels, TrafficPolicy trafficPolicy) {
        public Subset {
            labels = Nulls.map(labels);
        }
    }
}
