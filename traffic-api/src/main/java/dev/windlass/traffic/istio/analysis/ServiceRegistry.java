package dev.windlass.traffic.istio.analysis;

import dev.windlass.traffic.istio.Hosts;
import dev.windlass.traffic.istio.IstioResource;
import dev.windlass.traffic.istio.ServiceEntrySpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What analysis needs of the service registry, filled by the discovery server from its snapshot and by the CLI
 * from the cluster or files: the Services (ports and selector) and the distinct label sets of the pods of each
 * namespace. Services are visible from every namespace: Windlass does not implement the
 * {@code networking.istio.io/exportTo} annotation on Services, so neither does its analysis.
 */
public record ServiceRegistry(List<Service> services, Map<String, Set<Map<String, String>>> podLabels,
                              String clusterDomain) {

    public static final String DEFAULT_CLUSTER_DOMAIN = "cluster.local";
    public static final ServiceRegistry EMPTY = new ServiceRegistry(List.of(), Map.of(), DEFAULT_CLUSTER_DOMAIN);

    public ServiceRegistry {
        services = services.stream().sorted(Comparator.comparing(Service::namespace).thenComparing(Service::name)).toList();
        podLabels = podLabels.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> e.getValue().stream().map(Map::copyOf).collect(Collectors.toUnmodifiableSet()), (a, b) -> a, TreeMap::new));
    }

    /**
     * One Kubernetes Service: its ports in the order the Service lists them, and its pod selector. A ServiceEntry
     * host is one too (Istio converts each host into a service), named by {@code host} instead of name and namespace.
     */
    public record Service(String namespace, String name, List<Port> ports, Map<String, String> selector, String host) {
        public Service {
            ports = List.copyOf(ports);
            selector = Map.copyOf(selector);
        }

        public Service(String namespace, String name, List<Port> ports, Map<String, String> selector) {
            this(namespace, name, ports, selector, null);
        }

        public String fqdn(String clusterDomain) {
            return host != null ? host : name + "." + namespace + ".svc." + clusterDomain;
        }
    }

    /** This registry with each host of each ServiceEntry as a service of its own. */
    public ServiceRegistry withServiceEntries(List<IstioResource<ServiceEntrySpec>> entries) {
        List<Service> all = new ArrayList<>(services);
        for (IstioResource<ServiceEntrySpec> entry : entries) {
            List<Port> ports = entry.spec().ports().stream()
                    .map(p -> new Port(p.name(), p.number() == null ? 0 : p.number())).toList();
            for (String host : entry.spec().hosts()) {
                all.add(new Service(entry.namespace(), entry.name(), ports, Map.of(),
                        Hosts.resolve(host, entry.namespace(), clusterDomain)));
            }
        }
        return new ServiceRegistry(all, podLabels, clusterDomain);
    }

    public record Port(String name, int number) {
    }

    /** The Service whose FQDN is {@code host}. */
    public Optional<Service> byHost(String host) {
        return services.stream().filter(s -> s.fqdn(clusterDomain).equals(host)).findFirst()
                .or(() -> services.stream().filter(s -> s.host() != null && s.host().startsWith("*")
                        && HostNames.matches(s.host(), host)).findFirst());
    }

    /** The Services a host pattern names: one for an exact host, any number for {@code *.suffix} or {@code *}. */
    public List<Service> matching(String pattern) {
        return services.stream().filter(s -> HostNames.matches(pattern, s.fqdn(clusterDomain))).toList();
    }

    /** Whether some pod of {@code namespace} carries every label of {@code selector}. */
    public boolean selectsAnyPod(String namespace, Map<String, String> selector) {
        return podLabels.getOrDefault(namespace, Set.of()).stream()
                .anyMatch(labels -> labels.entrySet().containsAll(selector.entrySet()));
    }
}
