package dev.windlass.traffic.istio.analysis;

import dev.windlass.traffic.istio.Hosts;
import dev.windlass.traffic.istio.IstioResource;
import dev.windlass.traffic.istio.VirtualServiceSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Istio's ConflictingMeshGatewayHostsAnalyzer (IST0109): VirtualServices bound to the mesh that define the same
 * host in the same scope. The scope is {@code *} when the VirtualService is exported everywhere, else each
 * namespace it is exported to; a namespace's list also takes in the {@code *}-scoped VirtualServices whose host
 * overlaps. Each VirtualService is reported once. Keys are visited in sorted order, where Istio's map order is
 * random, so that the same input always gives the same message.
 */
final class MeshHostConflicts {
    private static final String ALL = "*";

    private MeshHostConflicts() {
    }

    static void check(List<IstioResource<VirtualServiceSpec>> virtualServices, String clusterDomain,
                      Consumer<Finding> report) {
        Map<String, List<IstioResource<VirtualServiceSpec>>> byScopedHost = scopedHosts(virtualServices, clusterDomain);
        Set<ResourceRef> reported = new HashSet<>();
        byScopedHost.forEach((key, list) -> {
            Set<IstioResource<VirtualServiceSpec>> conflicting = new LinkedHashSet<>(list);
            if (!key.startsWith(ALL + "/")) {
                String host = key.substring(key.indexOf('/') + 1);
                byScopedHost.forEach((other, vs) -> {
                    if (other.startsWith(ALL + "/") && HostNames.overlap(host, other.substring(2))) {
                        conflicting.addAll(vs);
                    }
                });
            }
            if (conflicting.size() > 1) {
                String names = conflicting.stream().map(IstioResource::key).collect(Collectors.joining(","));
                for (IstioResource<VirtualServiceSpec> vs : conflicting) {
                    ResourceRef ref = AnalysisInput.ref(vs);
                    if (reported.add(ref)) {
                        report.accept(Finding.of(Code.IST0109, ref, "metadata.name", names, key));
                    }
                }
            }
        });
    }

    private static Map<String, List<IstioResource<VirtualServiceSpec>>> scopedHosts(
            List<IstioResource<VirtualServiceSpec>> virtualServices, String clusterDomain) {
        Map<String, List<IstioResource<VirtualServiceSpec>>> byScopedHost = new TreeMap<>();
        for (IstioResource<VirtualServiceSpec> vs : virtualServices) {
            if (!vs.spec().appliesToMesh()) {
                continue;
            }
            for (String scope : scopes(vs)) {
                for (String host : vs.spec().hosts()) {
                    String fqdn = host.startsWith("*") ? host : Hosts.resolve(host, vs.namespace(), clusterDomain);
                    byScopedHost.computeIfAbsent(scope + "/" + fqdn, k -> new ArrayList<>()).add(vs);
                }
            }
        }
        return byScopedHost;
    }

    private static Set<String> scopes(IstioResource<VirtualServiceSpec> vs) {
        List<String> exportTo = vs.spec().exportTo();
        if (exportTo.isEmpty() || exportTo.contains(ALL)) {
            return Set.of(ALL);
        }
        Set<String> scopes = new java.util.TreeSet<>();
        exportTo.forEach(e -> scopes.add(e.equals(".") ? vs.namespace() : e));
        return scopes;
    }
}
