package dev.windlass.discovery.istio;

import dev.windlass.discovery.model.IstioConfig;
import dev.windlass.discovery.routing.DestinationPolicies;
import dev.windlass.discovery.routing.RouteSet;
import dev.windlass.discovery.routing.RoutingModel;
import dev.windlass.discovery.routing.TrafficRules;
import dev.windlass.traffic.istio.IstioResource;
import dev.windlass.traffic.istio.VirtualServiceSpec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Istio's traffic API to the routing model. Delegate VirtualServices (no hosts) are not route sets of their own:
 * they only contribute through the rules that delegate to them.
 */
public final class IstioTraffic {
    private IstioTraffic() {
    }

    public static TrafficRules build(IstioConfig config, String clusterDomain) {
        Map<String, IstioResource<VirtualServiceSpec>> byKey = new HashMap<>();
        config.virtualServices().forEach(vs -> byKey.put(vs.key(), vs));
        VirtualServiceTranslator translator = new VirtualServiceTranslator(clusterDomain, byKey::get);
        List<RouteSet> sets = config.virtualServices().stream()
                .filter(vs -> !vs.spec().hosts().isEmpty() && vs.spec().appliesToMesh())
                .map(translator::forMesh).toList();
        DestinationPolicies policies = new DestinationPolicies(config.destinationRules().stream()
                .map(dr -> DestinationRuleTranslator.translate(dr, clusterDomain)).toList(), config.rootNamespace());
        return new TrafficRules(new RoutingModel(sets), policies);
    }
}
