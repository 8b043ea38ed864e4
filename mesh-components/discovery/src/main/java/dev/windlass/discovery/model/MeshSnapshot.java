package dev.windlass.discovery.model;

import dev.windlass.discovery.routing.TrafficRules;
import dev.windlass.discovery.security.ResolvedJwks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable view of the service registry at one moment, indexed for the translation. Everything is sorted
 * (Services by namespace/name, slices by name), so that the same registry always gives byte-identical xDS.
 */
public final class MeshSnapshot {
    public static final MeshSnapshot EMPTY = of(MeshSettings.DEFAULT, List.of(), List.of(), List.of());

    private final MeshSettings settings;
    private final IstioConfig istio;
    private final TrafficRules traffic;
    private final List<ServiceModel> services;
    private final Map<String, List<EndpointSliceModel>> slicesByService;
    private final Map<String, PodModel> podsByKey;
    private final Map<String, List<PodModel>> podsByIp;
    private final Map<String, ServiceModel> servicesByHost = new java.util.HashMap<>();
    private final Map<String, Locality> nodeLocalities;
    private final ResolvedJwks jwks;

    private MeshSnapshot(MeshSettings settings, List<ServiceModel> services,
                         Map<String, List<EndpointSliceModel>> slicesByService, Map<String, PodModel> podsByKey,
                         Map<String, List<PodModel>> podsByIp, IstioConfig istio, TrafficRules traffic,
                         Map<String, Locality> nodeLocalities, ResolvedJwks jwks) {
        this.settings = settings;
        this.jwks = jwks;
        this.nodeLocalities = nodeLocalities;
        this.istio = istio;
        this.traffic = traffic;
        services.forEach(service -> servicesByHost.put(service.fqdn(settings.clusterDomain()), service));
        this.services = services;
        this.slicesByService = slicesByService;
        this.podsByKey = podsByKey;
        this.podsByIp = podsByIp;
    }

    public static MeshSnapshot of(MeshSettings settings, Collection<ServiceModel> services,
                                  Collection<EndpointSliceModel> slices, Collection<PodModel> pods) {
        return of(settings, services, slices, pods, IstioConfig.EMPTY, TrafficRules.EMPTY);
    }

    /** With the traffic API: its resources (for analysis and status) and the routing model built from them. */
    public static MeshSnapshot of(MeshSettings settings, Collection<ServiceModel> services,
                                  Collection<EndpointSliceModel> slices, Collection<PodModel> pods,
                                  IstioConfig istio, TrafficRules traffic) {
        List<ServiceModel> sortedServices = services.stream().sorted(Comparator.comparing(ServiceModel::key)).toList();
        Map<String, List<EndpointSliceModel>> slicesByService = new TreeMap<>();
        slices.stream().sorted(Comparator.comparing(EndpointSliceModel::name))
                .forEach(s -> slicesByService.computeIfAbsent(s.serviceKey(), k -> new ArrayList<>()).add(s));
        Map<String, PodModel> podsByKey = new TreeMap<>();
        Map<String, List<PodModel>> podsByIp = new TreeMap<>();
        for (PodModel pod : pods) {
            podsByKey.put(pod.key(), pod);
            if (pod.ip() != null && !pod.ip().isEmpty()) {
                podsByIp.computeIfAbsent(pod.ip(), k -> new ArrayList<>()).add(pod);
            }
        }
        return new MeshSnapshot(settings, sortedServices, slicesByService, podsByKey, podsByIp, istio, traffic, Map.of(),
                ResolvedJwks.NONE);
    }

    /** The same registry under other mesh settings. */
    public MeshSnapshot withSettings(MeshSettings newSettings) {
        return new MeshSnapshot(newSettings, services, slicesByService, podsByKey, podsByIp, istio, traffic, nodeLocalities, jwks);
    }

    /** The same registry under other traffic rules. */
    public MeshSnapshot withTraffic(IstioConfig newIstio, TrafficRules newTraffic) {
        return new MeshSnapshot(settings, services, slicesByService, podsByKey, podsByIp, newIstio, newTraffic, nodeLocalities, jwks);
    }

    /** The same registry with these node localities (by node name), for pods without the istio-locality label. */
    public MeshSnapshot withNodes(Map<String, Locality> nodes) {
        return new MeshSnapshot(settings, services, slicesByService, podsByKey, podsByIp, istio, traffic, Map.copyOf(nodes), jwks);
    }

    /** The same registry with these fetched JWKS (RequestAuthentications' jwksUri and issuers' keys). */
    public MeshSnapshot withJwks(ResolvedJwks fetched) {
        return new MeshSnapshot(settings, services, slicesByService, podsByKey, podsByIp, istio, traffic, nodeLocalities, fetched);
    }

    /** The keys fetched for RequestAuthentications' rules that do not name theirs inline. */
    public ResolvedJwks jwks() {
        return jwks;
    }

    /** A pod's locality: its istio-locality label, else its node's topology labels, else none. */
    public Locality locality(PodModel pod) {
        if (pod.labelLocality() != null) {
            return pod.labelLocality();
        }
        return pod.nodeName() == null ? Locality.NONE : nodeLocalities.getOrDefault(pod.nodeName(), Locality.NONE);
    }

    public IstioConfig istio() {
        return istio;
    }

    public TrafficRules traffic() {
        return traffic;
    }

    public MeshSettings settings() {
        return settings;
    }

    public List<ServiceModel> services() {
        return services;
    }

    /** The Service whose FQDN is {@code host}, if any. */
    public Optional<ServiceModel> serviceByHost(String host) {
        return Optional.ofNullable(servicesByHost.get(host));
    }

    /** The FQDNs of the Kubernetes Services. */
    public java.util.Set<String> serviceHosts() {
        return Collections.unmodifiableSet(servicesByHost.keySet());
    }

    /** Whether a host pattern ({@code name}, {@code *.suffix}, {@code *}) names at least one Service. */
    public boolean matchesAnyService(String pattern) {
        if (!pattern.startsWith("*")) {
            return servicesByHost.containsKey(pattern);
        }
        return servicesByHost.keySet().stream().anyMatch(host -> dev.windlass.discovery.routing.HostPattern.matches(pattern, host));
    }

    /** The ServiceEntry hosts of the registry (every namespace's; a proxy sees those exported to it). */
    public ServiceEntries serviceEntries() {
        return traffic.entries();
    }

    /** Every pod, by namespace/name (analysis reads their labels). */
    public Collection<PodModel> pods() {
        return Collections.unmodifiableCollection(podsByKey.values());
    }

    public List<EndpointSliceModel> slices(ServiceModel service) {
        return slicesByService.getOrDefault(service.key(), List.of());
    }

    public Optional<PodModel> pod(String namespace, String name) {
        return Optional.ofNullable(podsByKey.get(namespace + "/" + name));
    }

    /**
     * The pod of a proxy: by IP, preferring the one with the expected name (an IP is reused once a pod has
     * gone, and host-network pods share one), else by name.
     */
    public Optional<PodModel> proxyPod(String ip, String namespace, String name) {
        List<PodModel> sameIp = podsByIp.getOrDefault(ip, List.of());
        return sameIp.stream().filter(p -> p.name().equals(name) && p.namespace().equals(namespace)).findFirst()
                .or(() -> pod(namespace, name));
    }
}
