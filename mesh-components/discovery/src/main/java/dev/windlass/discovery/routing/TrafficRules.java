package dev.windlass.discovery.routing;

import dev.windlass.discovery.model.ServiceEntries;
import dev.windlass.discovery.security.WorkloadPolicies;
import dev.windlass.discovery.security.PeerAuthentications;
import dev.windlass.traffic.istio.AuthorizationPolicySpec;
import dev.windlass.traffic.istio.RequestAuthenticationSpec;

/**
 * The routing model, the destination policies, the ServiceEntry hosts, the gateways, the peer authentication, the
 * authorization policies and the request authentications (JWT), built together from one snapshot of Istio's APIs (and rebuilt only when it changes).
 */
public record TrafficRules(RoutingModel routes, DestinationPolicies destinations, ServiceEntries entries,
                           GatewayModel gateways, PeerAuthentications peers,
                           WorkloadPolicies<AuthorizationPolicySpec> authorizations,
                           WorkloadPolicies<RequestAuthenticationSpec> authentications) {
    public static final TrafficRules EMPTY = new TrafficRules(RoutingModel.EMPTY, DestinationPolicies.EMPTY,
            ServiceEntries.EMPTY, GatewayModel.EMPTY, PeerAuthentications.EMPTY, WorkloadPolicies.NO_AUTHORIZATIONS,
            WorkloadPolicies.NO_AUTHENTICATIONS);
}
