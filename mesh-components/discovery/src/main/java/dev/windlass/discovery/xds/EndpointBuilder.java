package dev.windlass.discovery.xds;

import com.google.protobuf.Value;
import dev.windlass.contract.IstioNames;
import dev.windlass.contract.MeshTls;
import dev.windlass.discovery.model.EndpointSliceModel;
import dev.windlass.discovery.model.Locality;
import dev.windlass.discovery.model.MeshSnapshot;
import dev.windlass.discovery.model.PodModel;
import dev.windlass.discovery.model.ServiceEntryHost;
import dev.windlass.discovery.model.ServiceModel;
import dev.windlass.discovery.model.ServicePortModel;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;

import dev.windlass.discovery.routing.DestinationPolicy;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * EDS: one ClusterLoadAssignment per outbound cluster, from the Service's EndpointSlices, or a STATIC
 * ServiceEntry host's endpoints; a subset's cluster lists the endpoints whose pods (or entry endpoints) carry the
 * subset's labels. Only ready endpoints
 * are listed; the port is the slice port named like the Service port. Each endpoint carries its pod's workload
 * identity in {@code filter_metadata["istio"]} ({@code workload}, {@code namespace}, {@code version}) for the
 * proxy's destination_workload metric labels, and, when its sidecar holds a certificate (the injector's tlsMode
 * label), the transport socket match that sends it mesh mTLS.
 */
final class EndpointBuilder {
    private EndpointBuilder() {
    }

    /** Endpoints do not depend on who asks, only on the registry: an endpoint-only push reuses this alone. */
    static SortedMap<String, ClusterLoadAssignment> build(MeshSnapshot snapshot) {
        SortedMap<String, ClusterLoadAssignment> assignments = new TreeMap<>();
        for (ServiceModel service : snapshot.services()) {
            String fqdn = service.fqdn(snapshot.settings().clusterDomain());
            List<DestinationPolicy.Subset> subsets = snapshot.traffic().destinations().endpointSubsets(fqdn, service.namespace());
            for (ServicePortModel port : service.ports()) {
                String cluster = IstioNames.outboundCluster(port.port(), fqdn);
                assignments.put(cluster, assignment(snapshot, service, port, cluster, null));
                for (DestinationPolicy.Subset subset : subsets) {
                    String subsetCluster = IstioNames.outboundCluster(port.port(), subset.name(), fqdn);
                    assignments.put(subsetCluster, assignment(snapshot, service, port, subsetCluster, subset));
                }
            }
        }
        for (ServiceEntryHost entry : snapshot.serviceEntries().visibleFrom(null, snapshot.serviceHosts())) {
            if (entry.resolution() != ServiceEntryHost.Resolution.STATIC) {
                continue; // DNS clusters carry their names inline; NONE ones have no endpoints
            }
            List<DestinationPolicy.Subset> subsets = snapshot.traffic().destinations().endpointSubsets(entry.host(), entry.namespace());
            for (ServiceEntryHost.Port port : entry.ports()) {
                String cluster = IstioNames.outboundCluster(port.number(), entry.host());
                assignments.put(cluster, entryAssignment(entry, port, cluster, null));
                for (DestinationPolicy.Subset subset : subsets) {
                    String subsetCluster = IstioNames.outboundCluster(port.number(), subset.name(), entry.host());
                    assignments.put(subsetCluster, entryAssignment(entry, port, subsetCluster, subset));
                }
            }
        }
        return assignments;
    }

    /**
     * The endpoints of a ServiceEntry host's port (EDS for STATIC, the inline load assignment for DNS): each
     * endpoint's address on its port for this port name; {@code subset} null for all, else those with its labels.
     */
    static ClusterLoadAssignment entryAssignment(ServiceEntryHost entry, ServiceEntryHost.Port port, String cluster,
                                                 DestinationPolicy.Subset subset) {
        LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
        for (ServiceEntryHost.Endpoint e : entry.effectiveEndpoints()) {
            if (subset == null || subset.selects(e.labels())) {
                locality.addLbEndpoints(LbEndpoint.newBuilder()
                        .setEndpoint(Endpoint.newBuilder().setAddress(Envoy.address(e.address(), entry.endpointPort(e, port))))
                        .setHealthStatus(HealthStatus.HEALTHY));
            }
        }
        ClusterLoadAssignment.Builder cla = ClusterLoadAssignment.newBuilder().setClusterName(cluster);
        if (locality.getLbEndpointsCount() > 0) {
            cla.addEndpoints(locality);
        }
        return cla.build();
    }

    /** {@code subset} null: every ready endpoint; else those whose pod has the subset's labels. */
    private static ClusterLoadAssignment assignment(MeshSnapshot snapshot, ServiceModel service,
                                                    ServicePortModel port, String cluster,
                                                    DestinationPolicy.Subset subset) {
        // Keyed by ip:port so that an address listed by two slices (during a slice rebalance) appears once.
        SortedMap<String, LbEndpoint> endpoints = new TreeMap<>();
        Map<String, Locality> localities = new TreeMap<>();
        for (EndpointSliceModel slice : snapshot.slices(service)) {
            Integer target = slice.ports().get(port.name());
            if (target == null) {
                continue;
            }
            for (EndpointSliceModel.Endpoint e : slice.endpoints()) {
                if (e.ready() && inSubset(snapshot, service, e, subset)) {
                    String key = e.address() + ":" + target;
                    endpoints.putIfAbsent(key, lbEndpoint(snapshot, service, e, target));
                    localities.putIfAbsent(key, endpointLocality(snapshot, service, e));
                }
            }
        }
        ClusterLoadAssignment.Builder cla = ClusterLoadAssignment.newBuilder().setClusterName(cluster);
        byLocality(endpoints, localities).forEach((locality, group) -> cla.addEndpoints(localityGroup(locality, group)));
        return cla.build();
    }

    /** The endpoints grouped by their pod's locality, localities sorted (the empty one, unknown, first). */
    private static SortedMap<String, List<LbEndpoint>> byLocality(SortedMap<String, LbEndpoint> endpoints,
                                                                  Map<String, Locality> localities) {
        SortedMap<String, List<LbEndpoint>> groups = new TreeMap<>();
        endpoints.forEach((key, lb) -> groups.computeIfAbsent(localities.get(key).toString(),
                k -> new java.util.ArrayList<>()).add(lb));
        return groups;
    }

    private static LocalityLbEndpoints localityGroup(String locality, List<LbEndpoint> group) {
        LocalityLbEndpoints.Builder builder = LocalityLbEndpoints.newBuilder().addAllLbEndpoints(group);
        String[] parts = locality.split("/", -1);
        if (!locality.equals(Locality.NONE.toString())) {
            builder.setLocality(io.envoyproxy.envoy.config.core.v3.Locality.newBuilder()
                    .setRegion(parts[0]).setZone(parts[1]).setSubZone(parts[2]));
        }
        return builder.build();
    }

    private static Locality endpointLocality(MeshSnapshot snapshot, ServiceModel service, EndpointSliceModel.Endpoint e) {
        return e.podName() == null ? Locality.NONE
                : snapshot.pod(service.namespace(), e.podName()).map(snapshot::locality).orElse(Locality.NONE);
    }

    private static boolean inSubset(MeshSnapshot snapshot, ServiceModel service, EndpointSliceModel.Endpoint e,
                                    DestinationPolicy.Subset subset) {
        if (subset == null) {
            return true;
        }
        return e.podName() != null && snapshot.pod(service.namespace(), e.podName())
                .map(pod -> subset.selects(pod.labels())).orElse(false);
    }

    private static LbEndpoint lbEndpoint(MeshSnapshot snapshot, ServiceModel service, EndpointSliceModel.Endpoint e,
                                         int port) {
        LbEndpoint.Builder lb = LbEndpoint.newBuilder()
                .setEndpoint(Endpoint.newBuilder().setAddress(Envoy.address(e.address(), port)))
                .setHealthStatus(HealthStatus.HEALTHY);
        if (e.podName() != null) {
            snapshot.pod(service.namespace(), e.podName()).ifPresent(pod -> {
                var metadata = Envoy.istioMetadata(workloadFields(pod)).toBuilder();
                if (MeshMtls.takesMeshMtls(snapshot, pod, port)) {
                    metadata.putFilterMetadata(MeshTls.TRANSPORT_SOCKET_MATCH, MeshMtls.endpointMatch());
                }
                lb.setMetadata(metadata);
            });
        }
        return lb.build();
    }

    private static Map<String, Value> workloadFields(PodModel pod) {
        Map<String, Value> fields = new TreeMap<>();
        fields.put("workload", Envoy.string(pod.workload()));
        fields.put("namespace", Envoy.string(pod.namespace()));
        String version = pod.labels().get("version");
        if (version != null) {
            fields.put("version", Envoy.string(version));
        }
        return fields;
    }
}
