package dev.windlass.discovery.xds;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/** Everything one proxy is served, by type and then by resource name (sorted, for stable output and versions). */
public record ProxyResources(SortedMap<String, Cluster> clusters, SortedMap<String, ClusterLoadAssignment> endpoints,
                             SortedMap<String, Listener> listeners, SortedMap<String, RouteConfiguration> routes) {
    public ProxyResources {
        clusters = Collections.unmodifiableSortedMap(new TreeMap<>(clusters));
        endpoints = Collections.unmodifiableSortedMap(new TreeMap<>(endpoints));
        listeners = Collections.unmodifiableSortedMap(new TreeMap<>(listeners));
        routes = Collections.unmodifiableSortedMap(new TreeMap<>(routes));
    }

    public SortedMap<String, ? extends Message> of(XdsType type) {
        return switch (type) {
            case CDS -> clusters;
            case EDS -> endpoints;
            case LDS -> listeners;
            case RDS -> routes;
        };
    }

    /** The same resources with new endpoints: what an endpoint-only push recomputes. */
    public ProxyResources withEndpoints(SortedMap<String, ClusterLoadAssignment> newEndpoints) {
        return new ProxyResources(clusters, newEndpoints, listeners, routes);
    }
}
