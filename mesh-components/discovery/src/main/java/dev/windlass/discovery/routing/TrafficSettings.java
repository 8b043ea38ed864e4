package dev.windlass.discovery.routing;

/**
 * What one level of a DestinationRule (the rule, a subset, or a port of either) says about a cluster: load
 * balancing, connection pool, outlier detection, TLS origination; null where the level says nothing. Istio merges
 * levels component by component, each taken whole from the most specific level that sets it (never field by
 * field), so {@link #over} is the whole merge.
 */
public record TrafficSettings(DestinationPolicy.LoadBalancer lb, DestinationPolicy.ConnectionPool pool,
                              DestinationPolicy.OutlierDetection outlier, TlsOrigination tls) {
    public static final TrafficSettings NONE = new TrafficSettings(null, null, null, null);

    /** These settings, with what they do not set taken from {@code below} (a less specific level). */
    public TrafficSettings over(TrafficSettings below) {
        return new TrafficSettings(lb != null ? lb : below.lb, pool != null ? pool : below.pool,
                outlier != null ? outlier : below.outlier, tls != null ? tls : below.tls);
    }

    /** The load balancing; ROUND_ROBIN when no level says otherwise. */
    public DestinationPolicy.LoadBalancing loadBalancing() {
        return lb == null ? DestinationPolicy.LoadBalancing.ROUND_ROBIN : lb.loadBalancing();
    }

    /** The consistent hash, when the load balancing is CONSISTENT_HASH. */
    public java.util.Optional<DestinationPolicy.ConsistentHash> consistentHash() {
        return java.util.Optional.ofNullable(lb == null ? null : lb.hash());
    }
}
