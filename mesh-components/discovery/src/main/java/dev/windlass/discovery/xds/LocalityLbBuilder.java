package dev.windlass.discovery.xds;

import com.google.protobuf.UInt32Value;
import dev.windlass.contract.IstioNames;
import dev.windlass.discovery.model.Locality;
import dev.windlass.discovery.model.MeshSnapshot;
import dev.windlass.discovery.model.ServiceModel;
import dev.windlass.discovery.model.ServicePortModel;
import dev.windlass.discovery.routing.DestinationPolicy;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Istio's locality load balancing, applied to the (proxy-independent) endpoints for one client: for each Service
 * cluster whose DestinationRule (as the client's namespace sees it) has an enabled localityLbSetting, or none (then
 * Istio's mesh default applies: enabled, no rules, so failover by proximity when there is outlier detection),
 * <ul>
 *   <li>{@code distribute}: the first rule whose {@code from} matches the client's locality gives each locality
 *   group a {@code load_balancing_weight}: the rule's weight for the first pattern it matches, shared among the
 *   groups that pattern matches in proportion to their endpoint counts (rounded up); groups no pattern matches are
 *   dropped;</li>
 *   <li>else, when the cluster has outlier detection (Istio applies failover only then): priority 0 for the
 *   client's region/zone/subzone, 1 same zone, 2 same region, 3 other regions, 4 those that are not the
 *   {@code failover} target when a rule names the client's region; the priorities used are then renumbered
 *   0, 1, 2... in order, as Envoy wants them consecutive.</li>
 * </ul>
 * Clusters without a DestinationRule, with {@code enabled: false} or with consistent hashing (the proxy's ring spans
 * every priority) are returned unchanged; a mesh with neither locality settings nor outlier detection pays one
 * scan of its rules.
 */
final class LocalityLbBuilder {
    private LocalityLbBuilder() {
    }

    static SortedMap<String, ClusterLoadAssignment> apply(MeshSnapshot snapshot,
                                                          SortedMap<String, ClusterLoadAssignment> base,
                                                          String clientNamespace, Locality client) {
        var destinations = snapshot.traffic().destinations();
        if (destinations.all().stream().noneMatch(LocalityLbBuilder::mayApply)) {
            return base;
        }
        SortedMap<String, ClusterLoadAssignment> result = new TreeMap<>(base);
        for (ServiceModel service : snapshot.services()) {
            String fqdn = service.fqdn(snapshot.settings().clusterDomain());
            var policy = destinations.forClient(fqdn, service.namespace(), clientNamespace).orElse(null);
            DestinationPolicy.LocalityLb setting = policy == null ? DestinationPolicy.LocalityLb.DISABLED
                    : policy.locality() == null ? DestinationPolicy.LocalityLb.MESH_DEFAULT : policy.locality();
            if (!setting.enabled()) {
                continue;
            }
            List<String> subsets = new ArrayList<>(List.of(""));
            destinations.endpointSubsets(fqdn, service.namespace()).forEach(s -> subsets.add(s.name()));
            for (ServicePortModel port : service.ports()) {
                for (String subset : subsets) {
                    String name = IstioNames.outboundCluster(port.port(), subset, fqdn);
                    ClusterLoadAssignment cla = result.get(name);
                    var settings = policy.settings(port.port(), subset);
                    boolean outlier = settings.outlier() != null;
                    boolean hashed = settings.loadBalancing() == DestinationPolicy.LoadBalancing.CONSISTENT_HASH;
                    if (cla != null && !hashed) {
                        result.put(name, forClient(cla, setting, outlier, client));
                    }
                }
            }
        }
        return result;
    }

    /** Whether a rule can change EDS: it has locality settings or outlier detection (the mesh default's failover). */
    private static boolean mayApply(DestinationPolicy policy) {
        return (policy.locality() != null && policy.locality().enabled()) || policy.hasOutlierDetection();
    }

    /** One cluster's endpoints for a client in {@code client}. */
    static ClusterLoadAssignment forClient(ClusterLoadAssignment cla, DestinationPolicy.LocalityLb setting,
                                           boolean outlierDetection, Locality client) {
        for (DestinationPolicy.LocalityLb.Distribute rule : setting.distribute()) {
            if (client.matches(rule.from())) {
                return distribute(cla, rule);
            }
        }
        if (setting.distribute().isEmpty() && outlierDetection) {
            return failover(cla, setting.failover(), client);
        }
        return cla;
    }

    private static ClusterLoadAssignment distribute(ClusterLoadAssignment cla, DestinationPolicy.LocalityLb.Distribute rule) {
        int groups = cla.getEndpointsCount();
        long[] weights = new long[groups];
        boolean[] claimed = new boolean[groups];
        for (Map.Entry<String, Integer> to : rule.to().entrySet()) {
            long total = 0;
            List<Integer> matched = new ArrayList<>();
            for (int i = 0; i < groups; i++) {
                if (!claimed[i] && locality(cla.getEndpoints(i)).matches(to.getKey())) {
                    claimed[i] = true;
                    matched.add(i);
                    total += cla.getEndpoints(i).getLbEndpointsCount();
                }
            }
            for (int i : matched) {
                long count = cla.getEndpoints(i).getLbEndpointsCount();
                weights[i] = (count * to.getValue() + total - 1) / total;
            }
        }
        ClusterLoadAssignment.Builder out = cla.toBuilder().clearEndpoints();
        for (int i = 0; i < groups; i++) {
            if (weights[i] > 0) {
                out.addEndpoints(cla.getEndpoints(i).toBuilder().setLoadBalancingWeight(UInt32Value.of((int) weights[i])));
            }
        }
        return out.build();
    }

    private static ClusterLoadAssignment failover(ClusterLoadAssignment cla,
                                                  List<DestinationPolicy.LocalityLb.Failover> rules, Locality client) {
        String target = rules.stream().filter(r -> r.fromRegion().equals(client.region()))
                .map(DestinationPolicy.LocalityLb.Failover::toRegion).findFirst().orElse(null);
        int[] priorities = new int[cla.getEndpointsCount()];
        TreeSet<Integer> used = new TreeSet<>();
        for (int i = 0; i < priorities.length; i++) {
            priorities[i] = priority(client, locality(cla.getEndpoints(i)), target);
            used.add(priorities[i]);
        }
        List<Integer> order = new ArrayList<>(used);
        ClusterLoadAssignment.Builder out = cla.toBuilder().clearEndpoints();
        for (int i = 0; i < priorities.length; i++) {
            out.addEndpoints(cla.getEndpoints(i).toBuilder().setPriority(order.indexOf(priorities[i])));
        }
        return out.build();
    }

    /** Istio's LbPriority, then its failover rule for the client's region (target null: none). */
    private static int priority(Locality client, Locality endpoint, String target) {
        if (!client.region().equals(endpoint.region())) {
            return target == null || target.equals(endpoint.region()) ? 3 : 4;
        }
        if (!client.zone().equals(endpoint.zone())) {
            return 2;
        }
        return client.subzone().equals(endpoint.subzone()) ? 0 : 1;
    }

    private static Locality locality(LocalityLbEndpoints group) {
        var l = group.getLocality();
        return new Locality(l.getRegion(), l.getZone(), l.getSubZone());
    }
}
