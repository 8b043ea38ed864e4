package dev.windlass.traffic.istio.analysis;

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

    /** One Kubernetes Service: its ports in the order the Service lists them, and its pod selector. */
    public record Service(String namespace, String name, List<Port> ports, Map<String, String> selector) {
        public Service {
            ports = List.copyOf(ports);
            selector = Map.copyOf(selector);
        }

        public String fqdn(String clusterDomain) {
            return name + "." + namespace + ".svc." + clusterDomain;
        }
    }

    public record Port(String name, int number) {
    }

    /** The Service whose FQDN is {@code host}. */
    public Optional<Service> byHost(String host) {
        return services.stream().filter(s -> s.fqdn(clusterDomain).equals(host)).findFirst();
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
