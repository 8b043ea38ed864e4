package dev.windlass.discovery.routing;

/** The routing model and the destination policies, built together from one snapshot of the traffic API. */
public record TrafficRules(RoutingModel routes, DestinationPolicies destinations) {
    public static final TrafficRules EMPTY = new TrafficRules(RoutingModel.EMPTY, DestinationPolicies.EMPTY);
}
