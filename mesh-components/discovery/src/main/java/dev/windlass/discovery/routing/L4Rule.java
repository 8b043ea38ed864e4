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

    /** {@code port} 0: any; empty lists: no condition. */
    public record Condition(List<String> sniHosts, List<String> destinationSubnets, int port, SourceSelector source) {
        public Condition {
            sniHosts = List.copyOf(sniHosts);
            destinationSubnets = List.copyOf(destinationSubnets);
        }

        public boolean appliesTo(int listenerPort, Workload client) {
            return (port == 0 || port == listenerPort) && source.selects(client);
        }
    }
}
