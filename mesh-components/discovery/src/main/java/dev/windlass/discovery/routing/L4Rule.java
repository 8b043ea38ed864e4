package dev.windlass.discovery.routing;

import java.util.List;

/**
 * A TCP or TLS rule: conditions on the connection (any of {@code matches}; none means every connection) and the
 * weighted destinations. TLS rules match by SNI, TCP rules cannot.
 */
public record L4Rule(List<Condition> matches, List<WeightedDestination> destinations) {
    public L4Rule {
        matches = List.copyOf(matches);
        destinations = List.copyOf(destinations);
    }

    /** {@code port} 0: any; empty lists: no condition ({@code gateways}: every binding of the route set). */
    public record Condition(List<String> sniHosts, List<String> destinationSubnets, int port, SourceSelector source,
                            List<String> gateways) {
        public Condition {
            sniHosts = List.copyOf(sniHosts);
            destinationSubnets = List.copyOf(destinationSubnets);
            gateways = List.copyOf(gateways);
        }

        /** For a sidecar (bound to the mesh): the port, and the client's workload. */
        public boolean appliesTo(int listenerPort, Workload client) {
            return (port == 0 || port == listenerPort) && source.selects(client) && forBinding(RouteSet.MESH);
        }

        /**
         * For a gateway's server: the port and the gateway only, as Istio's l4SingleMatch (source and subnet
         * conditions are the sidecars').
         */
        public boolean appliesToServer(int serverPort, String gateway) {
            return (port == 0 || port == serverPort) && forBinding(gateway);
        }

        private boolean forBinding(String binding) {
            return gateways.isEmpty() || gateways.contains(binding);
        }
    }
}
