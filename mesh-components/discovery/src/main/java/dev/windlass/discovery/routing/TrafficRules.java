package dev.windlass.discovery.routing;

import dev.windlass.discovery.model.ServiceEntries;
import dev.windlass.discovery.security.AuthorizationPolicies;
import dev.windlass.discovery.security.PeerAuthentications;

/**
 * The routing model, the destination policies, the ServiceEntry hosts, the gateways, the peer authentication and
 * the authorization policies, built together from one snapshot of Istio's APIs (and rebuilt only when it changes).
 */
public record TrafficRules(RoutingModel routes, DestinationPolicies destinations, ServiceEntries entries,
                           GatewayModel gateways, PeerAuthentications peers, AuthorizationPolicies authorizations) {
    public static final TrafficRules EMPTY = new TrafficRules(RoutingModel.EMPTY, DestinationPolicies.EMPTY,
            ServiceEntries.EMPTY, GatewayModel.EMPTY, PeerAuthentications.EMPTY, AuthorizationPolicies.EMPTY);
}
