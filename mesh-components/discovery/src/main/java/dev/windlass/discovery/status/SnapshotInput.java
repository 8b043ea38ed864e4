package dev.windlass.discovery.status;

import dev.windlass.discovery.model.IstioConfig;
import dev.windlass.discovery.model.MeshSnapshot;
import dev.windlass.discovery.model.ServiceModel;
import dev.windlass.traffic.istio.analysis.AnalysisInput;
import dev.windlass.traffic.istio.analysis.ServiceRegistry;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The analysis input of a registry snapshot: its Istio resources (usable and rejected) and a registry view of
 * its Services and pod labels. Pods enter only through their labels, so that the churn of pod IPs and statuses
 * leaves the input equal and triggers no analysis.
 */
final class SnapshotInput {
    private SnapshotInput() {
    }

    static AnalysisInput of(MeshSnapshot snapshot) {
        IstioConfig istio = snapshot.istio();
        List<ServiceRegistry.Service> services = snapshot.services().stream().map(SnapshotInput::service).toList();
        Map<String, Set<Map<String, String>>> labels = new HashMap<>();
        snapshot.pods().forEach(p -> labels.computeIfAbsent(p.namespace(), k -> new HashSet<>()).add(p.labels()));
        List<AnalysisInput.Rejected> rejected = istio.rejected().stream()
                .map(r -> new AnalysisInput.Rejected(r.kind(), r.namespace(), r.name(), r.generation(), r.errors())).toList();
        ServiceRegistry registry = new ServiceRegistry(services, labels, snapshot.settings().clusterDomain())
                .withServiceEntries(istio.serviceEntries());
        return new AnalysisInput(istio.virtualServices(), istio.destinationRules(), istio.serviceEntries(), istio.gateways(),
                rejected, registry);
    }

    private static ServiceRegistry.Service service(ServiceModel s) {
        return new ServiceRegistry.Service(s.namespace(), s.name(),
                s.ports().stream().map(p -> new ServiceRegistry.Port(p.name(), p.port())).toList(), s.selector());
    }
}
