package dev.windlass.discovery.routing;

import dev.windlass.discovery.model.ServiceEntries;

/**
 * The routing model, the destination policies, the ServiceEntry hosts and the gateways, built together from one
 * snapshot of the traffic API (and rebuilt only when it changes).
 */
public record TrafficRules(RoutingModel routes, DestinationPolicies destinations, ServiceEntries entries,
                           GatewayModel gateways) {
    public static final TrafficRules EMPTY = new TrafficRules(RoutingModel.EMPTY, DestinationPolicies.EMPTY,
            ServiceEntries.EMPTY, GatewayModel.EMPTY);
}
