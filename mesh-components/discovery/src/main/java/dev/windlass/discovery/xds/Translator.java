package dev.windlass.discovery.xds;

import dev.windlass.discovery.model.MeshSnapshot;
import dev.windlass.discovery.routing.GatewayMerge;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The translation: a registry snapshot and a proxy identity in, that proxy's xDS resources out. A pure
 * function (no I/O, no clock), which is what the golden tests pin down.
 *
 * <p>Sidecars get outbound and inbound listeners and the routes of every HTTP port. Gateways ({@code router~}) get
 * the listeners and routes of the Gateways that select their pod, merged; both get the same clusters and
 * endpoints.
 */
public final class Translator {
    private Translator() {
    }

    public static ProxyResources translate(MeshSnapshot snapshot, ProxyNode node) {
        return translate(snapshot, node, endpointViews(snapshot));
    }

    /** With the snapshot's endpoints built already: the discovery server builds them once per snapshot. */
    public static ProxyResources translate(MeshSnapshot snapshot, ProxyNode node, EndpointViews endpoints) {
        ProxyView view = ProxyView.of(snapshot, node);
        SortedMap<String, Listener> listeners = new TreeMap<>();
        SortedMap<String, io.envoyproxy.envoy.config.route.v3.RouteConfiguration> routes = new TreeMap<>();
        if (node.type() == ProxyNode.Type.SIDECAR) {
            listeners.putAll(OutboundListenerBuilder.build(view));
            InboundListenerBuilder.build(view).ifPresent(l -> listeners.put(l.getName(), l));
            routes.putAll(RouteBuilder.build(view));
        } else {
            GatewayMerge.MergedGateway merged = GatewayMerge.merge(view.gateways(), view::gatewayListenerPort);
            listeners.putAll(GatewayListenerBuilder.build(view, merged));
            routes.putAll(GatewayRouteBuilder.build(view, merged));
        }
        return new ProxyResources(ClusterBuilder.build(view), endpoints.forProxy(node), listeners, routes);
    }

    /** EDS alone, for an endpoint-only push: built once, then per proxy locality ({@link EndpointViews}). */
    public static EndpointViews endpointViews(MeshSnapshot snapshot) {
        return new EndpointViews(snapshot);
    }

    /** The endpoints before locality load balancing (what a proxy of no known locality is served). */
    public static SortedMap<String, ClusterLoadAssignment> endpoints(MeshSnapshot snapshot) {
        return EndpointBuilder.build(snapshot);
    }
}
