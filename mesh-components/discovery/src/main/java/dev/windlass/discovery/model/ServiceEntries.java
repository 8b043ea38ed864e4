package dev.windlass.discovery.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The ServiceEntry hosts of the mesh, oldest entry first. When several entries visible to one proxy declare the
 * same host, the oldest wins (Istio keeps the first one it sees, sorted by creation time); a host that is also a
 * Kubernetes Service's FQDN stays the Service's, since the Service brings its own endpoints.
 */
public final class ServiceEntries {
    private static final Comparator<ServiceEntryHost> AGE = Comparator.comparing(ServiceEntryHost::created)
            .thenComparing(ServiceEntryHost::namespace).thenComparing(ServiceEntryHost::name)
            .thenComparing(ServiceEntryHost::host);
    public static final ServiceEntries EMPTY = new ServiceEntries(List.of());

    private final List<ServiceEntryHost> hosts;

    public ServiceEntries(List<ServiceEntryHost> hosts) {
        this.hosts = hosts.stream().sorted(AGE).toList();
    }

    public List<ServiceEntryHost> all() {
        return hosts;
    }

    /**
     * What a proxy of {@code namespace} sees: one entry per host, none for hosts in {@code serviceHosts}. A null
     * namespace sees every entry: endpoints are built once for all proxies, so two entries for one host exported to
     * different namespaces share the oldest one's endpoints.
     */
    public List<ServiceEntryHost> visibleFrom(String namespace, Set<String> serviceHosts) {
        Set<String> seen = new HashSet<>(serviceHosts);
        List<ServiceEntryHost> visible = new ArrayList<>();
        for (ServiceEntryHost host : hosts) {
            if ((namespace == null || host.visibility().visibleFrom(namespace)) && seen.add(host.host())) {
                visible.add(host);
            }
        }
        return visible;
    }
}
