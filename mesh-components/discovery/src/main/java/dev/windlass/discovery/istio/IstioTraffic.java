package dev.windlass.discovery.istio;

import dev.windlass.discovery.security.WorkloadPolicies;
import dev.windlass.discovery.model.IstioConfig;
import dev.windlass.discovery.model.ServiceEntries;
import dev.windlass.discovery.routing.DestinationPolicies;
import dev.windlass.discovery.routing.GatewayModel;
import dev.windlass.discovery.routing.RouteSet;
import dev.windlass.discovery.routing.RoutingModel;
import dev.windlass.discovery.routing.TrafficRules;
import dev.windlass.traffic.istio.IstioResource;
import dev.windlass.traffic.istio.VirtualServiceSpec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Istio's traffic API to the routing model: VirtualServices to route sets (bound to the mesh and/or gateways),
 * DestinationRules to destination policies, ServiceEntries to registry hosts, Gateways to gateway configurations.
 * Delegate VirtualServices (no hosts) are not route sets of their own: they only contribute through the rules that
 * delegate to them.
 */
public final class IstioTraffic {
    private IstioTraffic() {
    }

    public static TrafficRules build(IstioConfig config, String clusterDomain) {
        Map<String, IstioResource<VirtualServiceSpec>> byKey = new HashMap<>();
        config.virtualServices().forEach(vs -> byKey.put(vs.key(), vs));
        VirtualServiceTranslator translator = new VirtualServiceTranslator(clusterDomain, byKey::get);
        List<RouteSet> sets = config.virtualServices().stream()
                .filter(vs -> !vs.spec().hosts().isEmpty())
                .map(translator::translate).toList();
        DestinationPolicies policies = new DestinationPolicies(config.destinationRules().stream()
                .map(dr -> DestinationRuleTranslator.translate(dr, clusterDomain)).toList(), config.rootNamespace());
        ServiceEntries entries = new ServiceEntries(config.serviceEntries().stream()
                .flatMap(se -> ServiceEntryTranslator.translate(se, clusterDomain).stream()).toList());
        GatewayModel gateways = new GatewayModel(config.gateways().stream().map(GatewayTranslator::translate).toList());
        return new TrafficRules(new RoutingModel(sets), policies, entries, gateways,
                PeerAuthenticationTranslator.translate(config.peerAuthentications(), config.rootNamespace()),
                WorkloadPolicies.authorizations(config.authorizationPolicies(), config.rootNamespace()),
                WorkloadPolicies.authentications(config.requestAuthentications(), config.rootNamespace()));
    }
}
