package dev.windlass.traffic.istio.analysis;

import dev.windlass.traffic.istio.DestinationRuleSpec;
import dev.windlass.traffic.istio.Hosts;
import dev.windlass.traffic.istio.IstioResource;
import dev.windlass.traffic.istio.VirtualServiceSpec;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Istio's DestinationHostAnalyzer and DestinationRuleAnalyzer: each destination of a VirtualService must be a
 * Service (IST0101 host / mirror host), on one of its ports (IST0101 host:port; IST0112 when no port is given and
 * the Service has several), and a subset must be defined by a DestinationRule the VirtualService's namespace sees
 * (IST0101 host+subset in destinationrule). Hosts are printed as written in the VirtualService, as Istio does.
 */
final class DestinationChecks {
    private DestinationChecks() {
    }

    static void check(IstioResource<VirtualServiceSpec> vs, List<IstioResource<DestinationRuleSpec>> rules,
                      ServiceRegistry registry, Consumer<Finding> report) {
        ResourceRef ref = AnalysisInput.ref(vs);
        for (RouteDestinations.Named d : RouteDestinations.routes(vs.spec())) {
            destination(vs, ref, d, "host", "host+subset in destinationrule", rules, registry, report);
        }
        for (RouteDestinations.Named d : RouteDestinations.mirrors(vs.spec())) {
            destination(vs, ref, d, "mirror host", "mirror+subset in destinationrule", rules, registry, report);
        }
    }

    private static void destination(IstioResource<VirtualServiceSpec> vs, ResourceRef ref, RouteDestinations.Named d,
                                    String hostKind, String subsetKind, List<IstioResource<DestinationRuleSpec>> rules,
                                    ServiceRegistry registry, Consumer<Finding> report) {
        String host = d.destination().host();
        String fqdn = Hosts.resolve(host, vs.namespace(), registry.clusterDomain());
        Optional<ServiceRegistry.Service> service = registry.byHost(fqdn);
        if (service.isEmpty()) {
            report.accept(Finding.of(Code.IST0101, ref, d.path() + ".host", hostKind, host));
        } else {
            ports(ref, d, service.get(), report);
        }
        String subset = d.destination().subset();
        if (subset != null && !subset.isEmpty() && !subsetDefined(fqdn, subset, vs.namespace(), rules, registry)) {
            report.accept(Finding.of(Code.IST0101, ref, d.path() + ".subset", subsetKind, host + "+" + subset));
        }
    }

    private static void ports(ResourceRef ref, RouteDestinations.Named d, ServiceRegistry.Service service,
                              Consumer<Finding> report) {
        int port = d.destination().portNumber();
        String host = d.destination().host();
        if (port == 0) {
            if (service.ports().size() > 1) {
                String numbers = service.ports().stream().map(p -> String.valueOf(p.number()))
                        .collect(java.util.stream.Collectors.joining(" ", "[", "]"));
                report.accept(Finding.of(Code.IST0112, ref, d.path() + ".host", host, numbers));
            }
        } else if (service.ports().stream().noneMatch(p -> p.number() == port)) {
            report.accept(Finding.of(Code.IST0101, ref, d.path() + ".port", "host:port", host + ":" + port));
        }
    }

    /** Whether a DestinationRule visible from {@code namespace} whose host names {@code fqdn} has the subset. */
    private static boolean subsetDefined(String fqdn, String subset, String namespace,
                                         List<IstioResource<DestinationRuleSpec>> rules, ServiceRegistry registry) {
        for (IstioResource<DestinationRuleSpec> dr : rules) {
            DestinationRuleSpec spec = dr.spec();
            String host = Hosts.resolve(spec.host(), dr.namespace(), registry.clusterDomain());
            if (host != null && HostNames.matches(host, fqdn) && HostNames.visible(spec.exportTo(), dr.namespace(), namespace)
                    && spec.subsets().stream().anyMatch(s -> subset.equals(s.name()))) {
                return true;
            }
        }
        return false;
    }
}
