package dev.windlass.traffic.istio.analysis;

import dev.windlass.traffic.istio.DestinationRuleSpec;
import dev.windlass.traffic.istio.FieldError;
import dev.windlass.traffic.istio.GatewaySpec;
import dev.windlass.traffic.istio.IstioResource;
import dev.windlass.traffic.istio.VirtualServiceSpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Istio's analysis of the traffic API, for the discovery server (written to each resource's status) and for
 * {@code windlass analyze}: the same input always gives the same findings, deduplicated and sorted as istioctl
 * sorts its messages (level, code, resource, then message). Pure: no I/O.
 */
public final class Analyzer {
    private static final Comparator<Finding> ORDER = Comparator.comparing(Finding::level)
            .thenComparing(Finding::code).thenComparing(Finding::resource).thenComparing(Finding::message);

    private Analyzer() {
    }

    public static List<Finding> analyze(AnalysisInput input) {
        List<Finding> found = new ArrayList<>();
        ServiceRegistry registry = input.registry();
        for (IstioResource<VirtualServiceSpec> vs : input.virtualServices()) {
            DestinationChecks.check(vs, input.destinationRules(), registry, found::add);
            UnreachableRules.check(vs, found::add);
            GatewayChecks.virtualService(vs, input.gateways(), found::add);
        }
        for (IstioResource<GatewaySpec> gateway : input.gateways()) {
            GatewayChecks.selector(gateway, registry, found::add);
        }
        MeshHostConflicts.check(input.virtualServices(), registry.clusterDomain(), found::add);
        for (IstioResource<DestinationRuleSpec> dr : input.destinationRules()) {
            SubsetPods.check(dr, registry, found::add);
        }
        for (AnalysisInput.Rejected rejected : input.rejected()) {
            for (FieldError error : rejected.errors()) {
                found.add(Finding.of(Code.IST0106, rejected.ref(), error.path(), error.toString()));
            }
        }
        // One message per text and place, as istioctl's SortedDedupedCopy: the same missing host in two routes
        // of a cluster resource is one message; in a file, the two lines make two.
        Map<String, Finding> unique = new LinkedHashMap<>();
        for (Finding finding : found) {
            AnalysisInput.Source source = input.sources().get(finding.resource());
            Finding placed = source == null ? finding : finding.withOrigin(source.origin(finding.path()));
            unique.putIfAbsent(placed.logLine(), placed);
        }
        List<Finding> sorted = new ArrayList<>(unique.values());
        sorted.sort(ORDER);
        return List.copyOf(sorted);
    }
}
