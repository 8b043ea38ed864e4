package dev.windlass.traffic.istio.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windlass.traffic.istio.DestinationRuleSpec;
import dev.windlass.traffic.istio.GatewaySpec;
import dev.windlass.traffic.istio.InvalidResourceException;
import dev.windlass.traffic.istio.IstioKind;
import dev.windlass.traffic.istio.IstioResource;
import dev.windlass.traffic.istio.ServiceEntrySpec;
import dev.windlass.traffic.istio.VirtualServiceSpec;
import dev.windlass.traffic.istio.validation.IstioValidation;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds an analysis input from Kubernetes objects as JSON (Services, Pods, and the networking.istio.io kinds),
 * as {@code windlass analyze} reads them from the cluster and from files. An object added later replaces one of
 * the same kind, namespace and name, so files added after the cluster override it. Istio objects are parsed and
 * validated with the admission rules; one that fails is kept as rejected (IST0106).
 */
public final class AnalysisInputBuilder {
    private static final String ISTIO_API = IstioKind.ApiGroup.NETWORKING.groupName() + "/";

    private final Map<ResourceRef, JsonNode> objects = new LinkedHashMap<>();
    private final Map<ResourceRef, AnalysisInput.Source> sources = new HashMap<>();
    private String clusterDomain = ServiceRegistry.DEFAULT_CLUSTER_DOMAIN;

    public AnalysisInputBuilder clusterDomain(String domain) {
        this.clusterDomain = domain;
        return this;
    }

    /**
     * Adds an object, in {@code defaultNamespace} when it names none; a {@code List} adds its items. Returns the
     * resources added: none for kinds analysis does not read (Deployments, ConfigMaps, ...).
     */
    public List<ResourceRef> add(JsonNode object, String defaultNamespace, AnalysisInput.Source source) {
        if (object == null || !object.isObject()) {
            return List.of();
        }
        if ("List".equals(object.path("kind").asText()) && object.path("items").isArray()) {
            List<ResourceRef> added = new ArrayList<>();
            object.path("items").forEach(item -> added.addAll(add(item, defaultNamespace, source)));
            return added;
        }
        Optional<String> kind = kind(object);
        if (kind.isEmpty()) {
            return List.of();
        }
        String namespace = object.path("metadata").path("namespace").asText("");
        ResourceRef ref = new ResourceRef(kind.get(), namespace.isEmpty() ? defaultNamespace : namespace,
                object.path("metadata").path("name").asText(""));
        objects.remove(ref); // re-added last, so that the newest copy keeps the input order
        objects.put(ref, object);
        if (source == null) {
            sources.remove(ref);
        } else {
            sources.put(ref, source);
        }
        return List.of(ref);
    }

    /** The kind when analysis reads it: Service and Pod (core v1), and every networking.istio.io kind. */
    private static Optional<String> kind(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText("");
        String kind = object.path("kind").asText("");
        if (apiVersion.equals("v1") && (kind.equals("Service") || kind.equals("Pod"))) {
            return Optional.of(kind);
        }
        return apiVersion.startsWith(ISTIO_API) && IstioKind.ofKind(kind).isPresent() ? Optional.of(kind) : Optional.empty();
    }

    @SuppressWarnings("unchecked")
    public AnalysisInput build() {
        List<IstioResource<VirtualServiceSpec>> vs = new ArrayList<>();
        List<IstioResource<DestinationRuleSpec>> dr = new ArrayList<>();
        List<IstioResource<ServiceEntrySpec>> se = new ArrayList<>();
        List<IstioResource<GatewaySpec>> gw = new ArrayList<>();
        List<AnalysisInput.Rejected> rejected = new ArrayList<>();
        List<ServiceRegistry.Service> services = new ArrayList<>();
        Map<String, Set<Map<String, String>>> pods = new HashMap<>();
        objects.forEach((ref, object) -> {
            switch (ref.kind()) {
                case "Service" -> services.add(service(ref, object));
                case "Pod" -> pods.computeIfAbsent(ref.namespace(), k -> new HashSet<>()).add(strings(object.path("metadata").path("labels")));
                default -> {
                    IstioKind kind = IstioKind.ofKind(ref.kind()).orElseThrow();
                    try {
                        IstioResource<?> resource = istio(kind, ref, object);
                        switch (kind) {
                            case VIRTUAL_SERVICE -> vs.add((IstioResource<VirtualServiceSpec>) resource);
                            case DESTINATION_RULE -> dr.add((IstioResource<DestinationRuleSpec>) resource);
                            case SERVICE_ENTRY -> se.add((IstioResource<ServiceEntrySpec>) resource);
                            case GATEWAY -> gw.add((IstioResource<GatewaySpec>) resource);
                            default -> throw new IllegalStateException("not analysed: " + kind);
                        }
                    } catch (InvalidResourceException e) {
                        rejected.add(new AnalysisInput.Rejected(kind, ref.namespace(), ref.name(),
                                object.path("metadata").path("generation").asLong(0), e.errors()));
                    }
                }
            }
        });
        ServiceRegistry registry = new ServiceRegistry(services, pods, clusterDomain).withServiceEntries(se);
        return new AnalysisInput(vs, dr, se, gw, rejected, registry, sources);
    }

    private static IstioResource<?> istio(IstioKind kind, ResourceRef ref, JsonNode object) throws InvalidResourceException {
        Object spec = IstioValidation.parseAndValidate(kind, ref.name(), object.get("spec"));
        JsonNode meta = object.path("metadata");
        return new IstioResource<>(kind, ref.namespace(), ref.name(), created(meta.path("creationTimestamp").asText("")),
                meta.path("generation").asLong(0), spec);
    }

    private static ServiceRegistry.Service service(ResourceRef ref, JsonNode object) {
        List<ServiceRegistry.Port> ports = new ArrayList<>();
        object.path("spec").path("ports").forEach(p -> ports.add(new ServiceRegistry.Port(p.path("name").asText(""), p.path("port").asInt())));
        return new ServiceRegistry.Service(ref.namespace(), ref.name(), ports, strings(object.path("spec").path("selector")));
    }

    private static Map<String, String> strings(JsonNode map) {
        Map<String, String> out = new HashMap<>();
        map.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static Instant created(String timestamp) {
        try {
            return timestamp.isEmpty() ? Instant.EPOCH : Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
