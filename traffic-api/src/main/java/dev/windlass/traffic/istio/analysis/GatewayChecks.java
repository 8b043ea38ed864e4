package dev.windlass.traffic.istio.analysis;

import dev.windlass.traffic.istio.GatewayHosts;
import dev.windlass.traffic.istio.GatewayRefs;
import dev.windlass.traffic.istio.GatewaySpec;
import dev.windlass.traffic.istio.IstioResource;
import dev.windlass.traffic.istio.VirtualServiceSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Istio's analyzers of Gateways and of what binds to them. virtualservice.GatewayAnalyzer: each gateway a
 * VirtualService names (other than {@code mesh}) must exist (IST0101 "gateway"), and one of its servers must
 * expose one of the VirtualService's hosts to the VirtualService's namespace (IST0132; Istio reports that for a
 * missing gateway too, having no hosts to look in). gateway.IngressGatewayPortAnalyzer, first half: a Gateway
 * whose selector matches no pod in any namespace (IST0101 "selector", printed as Kubernetes prints a selector).
 */
final class GatewayChecks {
    private GatewayChecks() {
    }

    static void virtualService(IstioResource<VirtualServiceSpec> vs, List<IstioResource<GatewaySpec>> gateways,
                               Consumer<Finding> report) {
        ResourceRef ref = AnalysisInput.ref(vs);
        List<String> names = vs.spec().gateways();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name.equals(GatewayRefs.MESH)) {
                continue;
            }
            String key = GatewayRefs.resolve(name, vs.namespace());
            Optional<IstioResource<GatewaySpec>> gateway = gateways.stream().filter(g -> g.key().equals(key)).findFirst();
            String path = "spec.gateways[" + i + "]";
            if (gateway.isEmpty()) {
                report.accept(Finding.of(Code.IST0101, ref, path, "gateway", name));
            }
            if (!exposesAHost(gateway, vs)) {
                report.accept(Finding.of(Code.IST0132, ref, path, "[" + String.join(" ", vs.spec().hosts()) + "]",
                        vs.key(), key));
            }
        }
    }

    private static boolean exposesAHost(Optional<IstioResource<GatewaySpec>> gateway, IstioResource<VirtualServiceSpec> vs) {
        List<String> serverHosts = new ArrayList<>();
        gateway.ifPresent(g -> g.spec().servers().forEach(s -> serverHosts.addAll(GatewayHosts.normalize(s.hosts(), g.namespace()))));
        for (String host : GatewayHosts.forNamespace(serverHosts, vs.namespace())) {
            if (vs.spec().hosts().stream().anyMatch(h -> HostNames.overlap(host, h))) {
                return true;
            }
        }
        return false;
    }

    static void selector(IstioResource<GatewaySpec> gateway, ServiceRegistry registry, Consumer<Finding> report) {
        Map<String, String> selector = gateway.spec().selector();
        boolean selects = registry.podLabels().values().stream().flatMap(java.util.Set::stream)
                .anyMatch(labels -> labels.entrySet().containsAll(selector.entrySet()));
        if (!selects) {
            String text = new TreeMap<>(selector).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(","));
            report.accept(Finding.of(Code.IST0101, AnalysisInput.ref(gateway), "spec.selector", "selector", text));
        }
    }
}
