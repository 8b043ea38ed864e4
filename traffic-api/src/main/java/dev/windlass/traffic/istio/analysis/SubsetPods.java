package dev.windlass.traffic.istio.analysis;

import dev.windlass.traffic.istio.DestinationRuleSpec;
import dev.windlass.traffic.istio.Hosts;
import dev.windlass.traffic.istio.IstioResource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Istio's SubsetSelectPodAnalyzer: a DestinationRule whose host names no Service gets IST0174; otherwise each
 * subset whose labels, merged over the Service's selector, match no pod of the Service's namespace gets IST0173.
 * Two departures from Istio, both towards what the proxies get: a wildcard host ({@code *.ns.svc.cluster.local})
 * counts as matching the Services under it (Istio reports IST0174 for it), and pods are looked for only in the
 * Service's namespace. Node topology labels are not known here, so a subset that selects on them is reported. A
 * ServiceEntry host counts as a Service (no IST0174), and its subsets are not checked against pods.
 */
final class SubsetPods {
    private SubsetPods() {
    }

    static void check(IstioResource<DestinationRuleSpec> dr, ServiceRegistry registry, Consumer<Finding> report) {
        ResourceRef ref = AnalysisInput.ref(dr);
        String host = dr.spec().host();
        List<ServiceRegistry.Service> services = host == null ? List.of()
                : registry.matching(Hosts.resolve(host, dr.namespace(), registry.clusterDomain()));
        if (services.isEmpty()) {
            report.accept(Finding.of(Code.IST0174, ref, "spec.host", host));
            return;
        }
        List<DestinationRuleSpec.Subset> subsets = dr.spec().subsets();
        for (int i = 0; i < subsets.size(); i++) {
            DestinationRuleSpec.Subset subset = subsets.get(i);
            // A ServiceEntry host's subsets select its endpoints by their labels, not pods: nothing to check here.
            boolean selects = services.stream().anyMatch(s -> s.host() != null
                    || registry.selectsAnyPod(s.namespace(), merged(s, subset)));
            if (!selects) {
                report.accept(Finding.of(Code.IST0173, ref, "spec.subsets[" + i + "].name", subset.name()));
            }
        }
    }

    private static Map<String, String> merged(ServiceRegistry.Service service, DestinationRuleSpec.Subset subset) {
        Map<String, String> labels = new HashMap<>(service.selector());
        labels.putAll(subset.labels());
        return labels;
    }
}
