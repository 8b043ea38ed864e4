package dev.windlass.traffic.istio;

import java.util.List;
import java.util.Map;

/**
 * The spec of a VirtualService ({@code networking.istio.io}, v1alpha3, v1beta1 and v1 alike): the hosts it applies
 * to, the gateways it is bound to ({@code mesh} when absent: the sidecars), and its rules per protocol.
 */
public record VirtualServiceSpec(List<String> hosts, List<String> gateways, List<HttpRoute> http,
                                 List<TlsRoute> tls, List<TcpRoute> tcp, List<String> exportTo) {

    /** The reserved gateway name for all sidecars of the mesh. */
    public static final String MESH_GATEWAY = "mesh";

    public VirtualServiceSpec {
        hosts = Nulls.list(hosts);
        gateways = Nulls.list(gateways);
        http = Nulls.list(http);
        tls = Nulls.list(tls);
        tcp = Nulls.list(tcp);
        exportTo = Nulls.list(exportTo);
    }

    /** Whether the rules apply to sidecars: no gateways listed, or {@code mesh} among them. */
    public boolean appliesToMesh() {
        return gateways.isEmpty() || gateways.contains(MESH_GATEWAY);
    }

    /** A weighted destination of a TCP or TLS route. */
    public record RouteDestination(Destination destination, Integer weight) {
        public int weightOrZero() {
            return weight == null ? 0 : weight;
        }
    }

    public record TcpRoute(List<L4Match> match, List<RouteDestination> route) {
        public TcpRoute {
            match = Nulls.list(match);
            route = Nulls.list(route);
        }
    }

    public record L4Match(List<String> destinationSubnets, Integer port, Map<String, String> sourceLabels,
                          List<String> gateways, String sourceNamespace) {
        public L4Match {
            destinationSubnets = Nulls.list(destinationSubnets);
            sourceLabels = Nulls.map(sourceLabels);
            gateways = Nulls.list(gateways);
        }
    }

    public record TlsRoute(List<TlsMatch> match, List<RouteDestination> route) {
        public TlsRoute {
            match = Nulls.list(match);
            route = Nulls.list(route);
        }
    }

    public record TlsMatch(List<String> sniHosts, List<String> destinationSubnets, Integer port,
                           Map<String, String> sourceLabels, List<String> gateways, String sourceNamespace) {
        public TlsMatch {
            sniHosts = Nulls.list(sniHosts);
            destinationSubnets = Nulls.list(destinationSubnets);
            sourceLabels = Nulls.map(sourceLabels);
            gateways = Nulls.list(gateways);
        }
    }
}
