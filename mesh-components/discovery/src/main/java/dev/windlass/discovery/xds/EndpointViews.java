package dev.windlass.discovery.xds;

import dev.windlass.discovery.model.Locality;
import dev.windlass.discovery.model.MeshSnapshot;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;

import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The endpoints of one snapshot as each proxy is served them: built once, then per (client namespace, locality)
 * with the locality load balancing applied, so proxies in the same place share one map (an endpoint push computes
 * as many as there are such places, not proxies).
 */
public final class EndpointViews {
    private record Place(String namespace, Locality locality) {
    }

    private final MeshSnapshot snapshot;
    private final SortedMap<String, ClusterLoadAssignment> base;
    private final Map<Place, SortedMap<String, ClusterLoadAssignment>> byPlace = new ConcurrentHashMap<>();

    public EndpointViews(MeshSnapshot snapshot) {
        this.snapshot = snapshot;
        this.base = EndpointBuilder.build(snapshot);
    }

    /** What this proxy is served; a proxy whose pod is not known yet gets the endpoints without locality. */
    public SortedMap<String, ClusterLoadAssignment> forProxy(ProxyNode node) {
        var pod = snapshot.proxyPod(node.ip(), node.namespace(), node.podName());
        if (pod.isEmpty()) {
            return base;
        }
        Place place = new Place(node.namespace(), snapshot.locality(pod.get()));
        return byPlace.computeIfAbsent(place, p -> LocalityLbBuilder.apply(snapshot, base, p.namespace(), p.locality()));
    }
}
