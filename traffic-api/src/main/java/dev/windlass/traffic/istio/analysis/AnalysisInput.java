package dev.windlass.traffic.istio.analysis;

import dev.windlass.traffic.istio.DestinationRuleSpec;
import dev.windlass.traffic.istio.FieldError;
import dev.windlass.traffic.istio.GatewaySpec;
import dev.windlass.traffic.istio.IstioKind;
import dev.windlass.traffic.istio.IstioResource;
import dev.windlass.traffic.istio.ServiceEntrySpec;
import dev.windlass.traffic.istio.VirtualServiceSpec;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Everything one analysis run looks at: the VirtualServices, DestinationRules, ServiceEntries and Gateways that
 * parsed and validated, the ones that did not (with their errors), the service registry, and for resources read
 * from files where they came from. Equal inputs give equal findings, which the discovery server uses to skip runs.
 */
public record AnalysisInput(List<IstioResource<VirtualServiceSpec>> virtualServices,
                            List<IstioResource<DestinationRuleSpec>> destinationRules,
                            List<IstioResource<ServiceEntrySpec>> serviceEntries,
                            List<IstioResource<GatewaySpec>> gateways, List<Rejected> rejected,
                            ServiceRegistry registry, Map<ResourceRef, Source> sources) {

    public AnalysisInput {
        virtualServices = virtualServices.stream().sorted(Comparator.comparing(IstioResource::key)).toList();
        destinationRules = destinationRules.stream().sorted(Comparator.comparing(IstioResource::key)).toList();
        serviceEntries = serviceEntries.stream().sorted(Comparator.comparing(IstioResource::key)).toList();
        gateways = gateways.stream().sorted(Comparator.comparing(IstioResource::key)).toList();
        rejected = List.copyOf(rejected);
        sources = Map.copyOf(sources);
    }

    /** Without file origins: the cluster's resources. */
    public AnalysisInput(List<IstioResource<VirtualServiceSpec>> virtualServices,
                         List<IstioResource<DestinationRuleSpec>> destinationRules,
                         List<IstioResource<ServiceEntrySpec>> serviceEntries,
                         List<IstioResource<GatewaySpec>> gateways, List<Rejected> rejected, ServiceRegistry registry) {
        this(virtualServices, destinationRules, serviceEntries, gateways, rejected, registry, Map.of());
    }

    /** Routing resources only: no ServiceEntries or Gateways, no file origins. */
    public AnalysisInput(List<IstioResource<VirtualServiceSpec>> virtualServices,
                         List<IstioResource<DestinationRuleSpec>> destinationRules, List<Rejected> rejected,
                         ServiceRegistry registry) {
        this(virtualServices, destinationRules, List.of(), List.of(), rejected, registry, Map.of());
    }

    /** A resource that failed parsing or validation, with its generation (for status) and every error found in it. */
    public record Rejected(IstioKind kind, String namespace, String name, long generation, List<FieldError> errors) {
        public Rejected {
            errors = List.copyOf(errors);
        }

        public ResourceRef ref() {
            return new ResourceRef(kind.kind(), namespace, name);
        }
    }

    /**
     * Where a resource was read from: the file, the line its document starts on, and the line of each field
     * ({@code spec.hosts[0]} → 12) so that a finding can point at the field it is about.
     */
    public record Source(String file, int line, Map<String, Integer> fieldLines) {
        public Source {
            fieldLines = Map.copyOf(fieldLines);
        }

        /** {@code file:line} of the field, else of its nearest enclosing field, else of the document. */
        public String origin(String path) {
            String at = path;
            while (at != null && !at.isEmpty()) {
                Integer found = fieldLines.get(at);
                if (found != null) {
                    return file + ":" + found;
                }
                int cut = Math.max(at.lastIndexOf('.'), at.lastIndexOf('['));
                at = cut > 0 ? at.substring(0, cut) : null;
            }
            return file + ":" + line;
        }
    }

    static ResourceRef ref(IstioResource<?> resource) {
        return new ResourceRef(resource.kind().kind(), resource.namespace(), resource.name());
    }
}
