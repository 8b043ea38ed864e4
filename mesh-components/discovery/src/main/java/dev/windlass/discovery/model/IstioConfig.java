package dev.windlass.discovery.model;

import dev.windlass.traffic.istio.AuthorizationPolicySpec;
import dev.windlass.traffic.istio.DestinationRuleSpec;
import dev.windlass.traffic.istio.FieldError;
import dev.windlass.traffic.istio.GatewaySpec;
import dev.windlass.traffic.istio.IstioKind;
import dev.windlass.traffic.istio.IstioResource;
import dev.windlass.traffic.istio.PeerAuthenticationSpec;
import dev.windlass.traffic.istio.RequestAuthenticationSpec;
import dev.windlass.traffic.istio.ServiceEntrySpec;
import dev.windlass.traffic.istio.VirtualServiceSpec;

import java.util.Comparator;
import java.util.List;

/**
 * The Istio resources of the mesh (networking and security): those that parsed and validated, sorted by namespace/name so that translation
 * is deterministic, and those that did not (kept only to report on, never translated). {@code rootNamespace}
 * holds mesh-wide defaults, as istio-system does for Istio.
 */
public record IstioConfig(List<IstioResource<VirtualServiceSpec>> virtualServices,
                          List<IstioResource<DestinationRuleSpec>> destinationRules,
                          List<IstioResource<ServiceEntrySpec>> serviceEntries,
                          List<IstioResource<GatewaySpec>> gateways,
                          List<IstioResource<PeerAuthenticationSpec>> peerAuthentications,
                          List<IstioResource<AuthorizationPolicySpec>> authorizationPolicies,
                          List<IstioResource<RequestAuthenticationSpec>> requestAuthentications, List<Rejected> rejected,
                          String rootNamespace) {

    public static final IstioConfig EMPTY = new IstioConfig(List.of(), List.of(), List.of(), List.of(), List.of(),
            List.of(), List.of(), List.of(), "windlass-system");

    public IstioConfig {
        virtualServices = virtualServices.stream().sorted(Comparator.comparing(IstioResource::key)).toList();
        destinationRules = destinationRules.stream().sorted(Comparator.comparing(IstioResource::key)).toList();
        serviceEntries = serviceEntries.stream().sorted(Comparator.comparing(IstioResource::key)).toList();
        gateways = gateways.stream().sorted(Comparator.comparing(IstioResource::key)).toList();
        peerAuthentications = peerAuthentications.stream().sorted(Comparator.comparing(IstioResource::key)).toList();
        authorizationPolicies = authorizationPolicies.stream().sorted(Comparator.comparing(IstioResource::key)).toList();
        requestAuthentications = requestAuthentications.stream().sorted(Comparator.comparing(IstioResource::key)).toList();
        rejected = List.copyOf(rejected);
    }

    /** A resource the discovery server does not use, and why. */
    public record Rejected(IstioKind kind, String namespace, String name, long generation, List<FieldError> errors) {
        public Rejected {
            errors = List.copyOf(errors);
        }
    }
}
