package dev.windlass.proxy.config;

import com.google.protobuf.Message;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the data path needs, built once per accepted xDS update and swapped in whole: handlers read one
 * snapshot reference per connection or request and never lock. {@code raw} keeps the accepted protos by type URL
 * (for the admin config dump), {@code versions} the accepted version_info by type URL.
 */
public final class ConfigSnapshot {
    public static final ConfigSnapshot EMPTY = new ConfigSnapshot(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(),
            Map.of(), new OutlierDetectors(), new EndpointAges());

    private final Map<String, ListenerConfig> listeners;
    private final Map<String, RouteTable> routes;
    private final Map<String, ClusterConfig> clusters;
    private final Map<String, List<UpstreamEndpoint>> endpoints;
    private final Map<String, LoadBalancer> balancers = new HashMap<>();
    private final Map<String, ListenerConfig> byAddress = new HashMap<>();
    private final Map<String, Map<String, Message>> raw;
    private final Map<String, String> versions;
    private final Map<String, List<InetAddress>> dns;
    private final OutlierDetectors outliers;
    private final EndpointAges ages;

    public ConfigSnapshot(Map<String, ListenerConfig> listeners, Map<String, RouteTable> routes,
                          Map<String, ClusterConfig> clusters, Map<String, List<UpstreamEndpoint>> endpoints,
                          Map<String, Map<String, Message>> raw, Map<String, String> versions,
                          OutlierDetectors outliers) {
        this(listeners, routes, clusters, endpoints, raw, versions, outliers, new EndpointAges());
    }

    /** {@code ages}: the endpoints' join times, kept across snapshots for slow start. */
    public ConfigSnapshot(Map<String, ListenerConfig> listeners, Map<String, RouteTable> routes,
                          Map<String, ClusterConfig> clusters, Map<String, List<UpstreamEndpoint>> endpoints,
                          Map<String, Map<String, Message>> raw, Map<String, String> versions,
                          OutlierDetectors outliers, EndpointAges ages) {
        this.listeners = Map.copyOf(listeners);
        this.routes = Map.copyOf(routes);
        this.clusters = Map.copyOf(clusters);
        this.endpoints = Map.copyOf(endpoints);
        this.raw = Map.copyOf(raw);
        this.versions = Map.copyOf(versions);
        this.dns = Map.of();
        this.outliers = outliers;
        this.ages = ages;
        for (ListenerConfig listener : listeners.values()) {
            byAddress.putIfAbsent(listener.address() + ":" + listener.port(), listener);
        }
        outliers.retain(clusters.keySet());
        ages.retain(clusters.keySet());
        for (ClusterConfig cluster : clusters.values()) {
            balancers.put(cluster.name(), balancer(cluster));
        }
    }

    /** {@code base} with the DNS clusters' endpoints from {@code dns}; every other balancer (and its state) kept. */
    private ConfigSnapshot(ConfigSnapshot base, Map<String, List<InetAddress>> dns) {
        this.listeners = base.listeners;
        this.routes = base.routes;
        this.clusters = base.clusters;
        this.endpoints = base.endpoints;
        this.raw = base.raw;
        this.versions = base.versions;
        this.dns = Map.copyOf(dns);
        this.outliers = base.outliers;
        this.ages = base.ages;
        this.byAddress.putAll(base.byAddress);
        this.balancers.putAll(base.balancers);
        for (ClusterConfig cluster : clusters.values()) {
            if (cluster.resolvesNames()) {
                balancers.put(cluster.name(), balancer(cluster));
            }
        }
    }

    private LoadBalancer balancer(ClusterConfig cluster) {
        List<UpstreamEndpoint> all = endpointsOf(cluster);
        return new LoadBalancer(cluster, all, outliers.of(cluster), ages.joined(cluster, all, System.nanoTime()));
    }


    /** The same config with the names of DNS clusters resolved as {@code table} says (name to IPv4 addresses). */
    public ConfigSnapshot withDns(Map<String, List<InetAddress>> table) {
        return new ConfigSnapshot(this, table);
    }

    /** The names DNS clusters need resolved, with the most eager refresh any of their clusters asks for. */
    public Map<String, ClusterConfig.DnsRefresh> dnsNames() {
        Map<String, ClusterConfig.DnsRefresh> names = new HashMap<>();
        for (ClusterConfig cluster : clusters.values()) {
            if (cluster.resolvesNames()) {
                for (UpstreamEndpoint e : cluster.staticEndpoints()) {
                    if (e.socketAddress().isUnresolved()) {
                        names.merge(e.host(), cluster.dns(), (a, b) -> new ClusterConfig.DnsRefresh(
                                a.rate().compareTo(b.rate()) < 0 ? a.rate() : b.rate(), a.respectTtl() || b.respectTtl()));
                    }
                }
            }
        }
        return names;
    }

    /**
     * A cluster's endpoints. A DNS cluster's names become their resolved addresses: every address of every name
     * (STRICT_DNS), or the first address only (LOGICAL_DNS, as Envoy); a name not resolved yet has none.
     */
    private List<UpstreamEndpoint> endpointsOf(ClusterConfig cluster) {
        if (cluster.type() == ClusterConfig.Type.EDS) {
            return endpoints.getOrDefault(cluster.edsName(), List.of());
        }
        if (!cluster.resolvesNames()) {
            return cluster.staticEndpoints();
        }
        List<UpstreamEndpoint> resolved = new ArrayList<>();
        for (UpstreamEndpoint e : cluster.staticEndpoints()) {
            List<InetAddress> addresses = e.socketAddress().isUnresolved() ? dns.getOrDefault(e.host(), List.of()) : null;
            if (addresses == null) {
                resolved.add(e);
            } else {
                addresses.forEach(a -> resolved.add(e.at(a)));
            }
        }
        return cluster.type() == ClusterConfig.Type.LOGICAL_DNS && resolved.size() > 1 ? resolved.subList(0, 1) : resolved;
    }

    public ListenerConfig listener(String name) {
        return listeners.get(name);
    }

    /**
     * The listener a captured connection to {@code ip:port} is handed to, as Envoy's use_original_dst does:
     * the listener on exactly that address, else the one on 0.0.0.0 and that port; null if neither exists.
     */
    public ListenerConfig listenerFor(String ip, int port) {
        ListenerConfig exact = byAddress.get(ip + ":" + port);
        return exact != null ? exact : byAddress.get("0.0.0.0:" + port);
    }

    public Map<String, ListenerConfig> listeners() {
        return listeners;
    }

    public RouteTable routes(String name) {
        return routes.get(name);
    }

    public Map<String, ClusterConfig> clusters() {
        return clusters;
    }

    public ClusterConfig cluster(String name) {
        return clusters.get(name);
    }

    /** The cluster's balancer, or null for an unknown cluster. */
    public LoadBalancer balancer(String cluster) {
        return balancers.get(cluster);
    }

    public Map<String, Map<String, Message>> raw() {
        return raw;
    }

    public Map<String, String> versions() {
        return versions;
    }
}
