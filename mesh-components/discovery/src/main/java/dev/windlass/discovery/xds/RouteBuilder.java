package dev.windlass.discovery.xds;

import com.google.protobuf.BoolValue;
import dev.windlass.contract.IstioNames;
import dev.windlass.discovery.model.MeshSettings;
import dev.windlass.discovery.model.ServiceEntryHost;
import dev.windlass.discovery.model.ServiceModel;
import dev.windlass.discovery.model.ServicePortModel;
import dev.windlass.discovery.routing.DestinationPolicy;
import dev.windlass.discovery.routing.RouteSet;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * RDS: a RouteConfiguration {@code "<port>"} for every port that some Service or ServiceEntry host serves over
 * HTTP. Each such Service (and entry host) gets a virtual host {@code <fqdn>:<port>}: the rules of the route set
 * (VirtualService) that claims its host, or the default route to its cluster. Hosts of route sets that are no Service get a virtual host on every
 * port. Istio's catch-all host comes last: {@code allow_any} to the PassthroughCluster under ALLOW_ANY,
 * {@code block_all} (502) under REGISTRY_ONLY.
 */
final class RouteBuilder {
    private RouteBuilder() {
    }

    static SortedMap<String, RouteConfiguration> build(ProxyView view) {
        SortedMap<Integer, List<ServiceModel>> servicesByPort = new TreeMap<>();
        for (ServiceModel service : view.snapshot().services()) {
            for (ServicePortModel port : service.ports()) {
                if (port.protocol().isHttp()) {
                    servicesByPort.computeIfAbsent(port.port(), p -> new ArrayList<>()).add(service);
                }
            }
        }
        SortedMap<Integer, List<ServiceEntryHost>> entriesByPort = new TreeMap<>();
        for (ServiceEntryHost entry : view.entries()) {
            for (ServiceEntryHost.Port port : entry.ports()) {
                if (port.protocol().isHttp()) {
                    entriesByPort.computeIfAbsent(port.number(), p -> new ArrayList<>()).add(entry);
                    servicesByPort.putIfAbsent(port.number(), new ArrayList<>());
                }
            }
        }
        SortedMap<String, RouteConfiguration> routes = new TreeMap<>();
        servicesByPort.forEach((port, services) -> {
            String name = IstioNames.routeConfig(port);
            routes.put(name, RouteConfiguration.newBuilder().setName(name)
                    .addAllVirtualHosts(virtualHosts(view, port, services, entriesByPort.getOrDefault(port, List.of())))
                    .addVirtualHosts(catchAll(view.settings()))
                    // Like Istio: a route to a cluster not (yet) received must not make Envoy reject the whole config.
                    .setValidateClusters(BoolValue.of(false))
                    .build());
        });
        return routes;
    }

    private static List<VirtualHost> virtualHosts(ProxyView view, int port, List<ServiceModel> services,
                                                  List<ServiceEntryHost> entries) {
        List<VirtualHost> hosts = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (ServiceModel service : services) {
            String fqdn = view.fqdn(service);
            List<String> domains = domains(service, port, view.node().namespace(), view.settings().clusterDomain());
            taken.addAll(domains);
            hosts.add(virtualHost(fqdn + ":" + port, domains, routesFor(view, fqdn, port)));
        }
        for (ServiceEntryHost entry : entries) {
            // Istio's domains of an entry host: its name and its addresses, with and without the port.
            List<String> domains = new ArrayList<>();
            for (String name : concat(List.of(entry.host()), entry.ips())) {
                domains.add(name);
                domains.add(name + ":" + port);
            }
            domains.removeIf(d -> !taken.add(d));
            if (!domains.isEmpty()) {
                hosts.add(virtualHost(entry.host() + ":" + port, domains, routesFor(view, entry.host(), port)));
            }
        }
        for (RouteSet set : view.traffic().routes().boundTo(RouteSet.MESH, view.node().namespace())) {
            List<Route> routes = set.http().isEmpty() ? List.of() : HttpRoutes.of(set, port, view, RouteSet.MESH);
            for (String host : routes.isEmpty() ? List.<String>of() : set.hosts()) {
                if (!view.snapshot().matchesAnyService(host) && view.entries().stream().noneMatch(e -> e.host().equals(host))) {
                    List<String> domains = new ArrayList<>(List.of(host, host + ":" + port));
                    domains.removeIf(d -> !taken.add(d));
                    if (!domains.isEmpty()) {
                        hosts.add(virtualHost(host + ":" + port, domains, routes));
                    }
                }
            }
        }
        return hosts;
    }

    /** The rules of the route set that claims {@code host}, else the default route to the host's cluster. */
    private static List<Route> routesFor(ProxyView view, String host, int port) {
        Optional<RouteSet> set = view.traffic().routes().forHost(host, view.node().namespace());
        return set.map(s -> HttpRoutes.of(s, port, view, RouteSet.MESH))
                .orElseGet(() -> List.of(defaultRoute(view, host, port)));
    }

    /** The default route, with the hash policy of the host's DestinationRule when it hashes consistently. */
    private static Route defaultRoute(ProxyView view, String host, int port) {
        Route route = HttpRoutes.defaultRoute(IstioNames.outboundCluster(port, host));
        Optional<DestinationPolicy.HashKey> key = view.hashKey(new dev.windlass.discovery.routing.ClusterRef(host, "", port), port);
        if (key.isEmpty()) {
            return route;
        }
        Route.Builder hashed = route.toBuilder();
        HttpRoutes.hashPolicy(hashed.getRouteBuilder(), List.of(key.get()));
        return hashed.build();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Istio sets include_request_attempt_count, so an upstream sees x-envoy-attempt-count. */
    private static VirtualHost virtualHost(String name, List<String> domains, List<Route> routes) {
        return VirtualHost.newBuilder().setName(name).addAllDomains(domains).addAllRoutes(routes)
                .setIncludeRequestAttemptCount(true).build();
    }

    /**
     * Istio's domain list: every DNS name the Service answers to, with and without {@code :<port>}, then the
     * ClusterIP likewise. The short name only resolves inside the Service's own namespace, so, as in Istio, only
     * proxies of that namespace get it (elsewhere it would clash with a same-named Service of their own).
     */
    static List<String> domains(ServiceModel service, int port, String proxyNamespace, String clusterDomain) {
        List<String> names = new ArrayList<>();
        String nameNs = service.name() + "." + service.namespace();
        names.add(service.fqdn(clusterDomain));
        if (service.namespace().equals(proxyNamespace)) {
            names.add(service.name());
        }
        names.add(nameNs + ".svc");
        names.add(nameNs);
        if (service.clusterIp() != null) {
            names.add(service.clusterIp());
        }
        Set<String> domains = new LinkedHashSet<>();
        for (String name : names) {
            domains.add(name);
            domains.add(name + ":" + port);
        }
        return List.copyOf(domains);
    }

    private static VirtualHost catchAll(MeshSettings settings) {
        Route.Builder route = Route.newBuilder().setMatch(RouteMatches.any());
        if (settings.outboundPolicy() == MeshSettings.OutboundPolicy.ALLOW_ANY) {
            return VirtualHost.newBuilder().setName("allow_any").addDomains("*")
                    .addRoutes(route.setName("allow_any").setRoute(
                            HttpRoutes.timeout(RouteAction.newBuilder().setCluster(IstioNames.PASSTHROUGH), HttpRoutes.NO_TIMEOUT)))
                    .build();
        }
        return VirtualHost.newBuilder().setName("block_all").addDomains("*")
                .addRoutes(route.setName("block_all").setDirectResponse(DirectResponseAction.newBuilder().setStatus(502)))
                .build();
    }
}
