package dev.windlass.discovery.xds;

import com.google.protobuf.BoolValue;
import com.google.protobuf.Duration;
import dev.windlass.discovery.model.MeshSettings;
import dev.windlass.discovery.model.ServiceModel;
import dev.windlass.discovery.model.ServicePortModel;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * RDS: a RouteConfiguration {@code "<port>"} for every port that some Service serves over HTTP, with one
 * virtual host {@code <fqdn>:<port>} per such Service, and Istio's catch-all host last: {@code allow_any} to
 * the PassthroughCluster under ALLOW_ANY, {@code block_all} (502) under REGISTRY_ONLY.
 */
final class RouteBuilder {
    /** Istio turns Envoy's default 15 s route timeout off: a mesh must not cut long requests by itself. */
    private static final Duration NO_TIMEOUT = Duration.getDefaultInstance();

    private RouteBuilder() {
    }

    static SortedMap<String, RouteConfiguration> build(ProxyView view) {
        SortedMap<Integer, List<VirtualHost>> hostsByPort = new TreeMap<>();
        for (ServiceModel service : view.snapshot().services()) {
            for (ServicePortModel port : service.ports()) {
                if (port.protocol().isHttp()) {
                    hostsByPort.computeIfAbsent(port.port(), p -> new ArrayList<>()).add(virtualHost(view, service, port));
                }
            }
        }
        SortedMap<String, RouteConfiguration> routes = new TreeMap<>();
        hostsByPort.forEach((port, hosts) -> {
            String name = IstioNames.routeConfig(port);
            routes.put(name, RouteConfiguration.newBuilder().setName(name)
                    .addAllVirtualHosts(hosts)
                    .addVirtualHosts(catchAll(view.settings()))
                    // Like Istio: a route to a cluster not (yet) received must not make Envoy reject the whole config.
                    .setValidateClusters(BoolValue.of(false))
                    .build());
        });
        return routes;
    }

    private static VirtualHost virtualHost(ProxyView view, ServiceModel service, ServicePortModel port) {
        String fqdn = view.fqdn(service);
        String cluster = IstioNames.outboundCluster(port.port(), fqdn);
        return VirtualHost.newBuilder().setName(fqdn + ":" + port.port())
                .addAllDomains(domains(service, port.port(), view.node().namespace(), view.settings().clusterDomain()))
                .addRoutes(Route.newBuilder().setName("default")
                        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                        .setRoute(RouteAction.newBuilder().setCluster(cluster).setTimeout(NO_TIMEOUT)))
                .build();
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
        Route.Builder route = Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"));
        if (settings.outboundPolicy() == MeshSettings.OutboundPolicy.ALLOW_ANY) {
            return VirtualHost.newBuilder().setName("allow_any").addDomains("*")
                    .addRoutes(route.setName("allow_any").setRoute(
                            RouteAction.newBuilder().setCluster(IstioNames.PASSTHROUGH).setTimeout(NO_TIMEOUT)))
                    .build();
        }
        return VirtualHost.newBuilder().setName("block_all").addDomains("*")
                .addRoutes(route.setName("block_all").setDirectResponse(DirectResponseAction.newBuilder().setStatus(502)))
                .build();
    }
}
