package dev.windlass.discovery.istio;

import dev.windlass.discovery.model.Protocol;
import dev.windlass.discovery.model.ServiceEntryHost;
import dev.windlass.discovery.routing.Visibility;
import dev.windlass.traffic.istio.Hosts;
import dev.windlass.traffic.istio.IstioResource;
import dev.windlass.traffic.istio.ServiceEntrySpec;

import java.util.List;

/**
 * A ServiceEntry to registry hosts, one per host (short names resolve against the entry's namespace, as Istio
 * does). Pure.
 */
public final class ServiceEntryTranslator {
    private ServiceEntryTranslator() {
    }

    public static List<ServiceEntryHost> translate(IstioResource<ServiceEntrySpec> entry, String clusterDomain) {
        ServiceEntrySpec spec = entry.spec();
        List<ServiceEntryHost.Port> ports = spec.ports().stream().map(ServiceEntryTranslator::port).toList();
        List<ServiceEntryHost.Endpoint> endpoints = spec.endpoints().stream()
                .map(e -> new ServiceEntryHost.Endpoint(e.address(), e.ports(), e.labels())).toList();
        ServiceEntryHost.Resolution resolution = ServiceEntryHost.Resolution.valueOf(spec.resolutionOrDefault());
        boolean internal = spec.locationOrDefault().equals("MESH_INTERNAL");
        Visibility visibility = Visibility.of(spec.exportTo(), entry.namespace());
        return spec.hosts().stream().map(h -> new ServiceEntryHost(entry.displayName(), entry.namespace(), entry.name(),
                entry.created(), Hosts.resolve(h, entry.namespace(), clusterDomain), spec.addresses(), ports, resolution,
                internal, endpoints, visibility)).toList();
    }

    private static ServiceEntryHost.Port port(ServiceEntrySpec.Port port) {
        return new ServiceEntryHost.Port(port.name(), port.number(), port.targetPort() == null ? 0 : port.targetPort(),
                protocol(port));
    }

    /**
     * Istio's protocol names to the registry's: HTTPS is TLS to a proxy that does not terminate it; MONGO, MYSQL and
     * REDIS are proxied as TCP (Istio has no filter for them by default); no protocol goes by the port name, as for
     * a Service port.
     */
    static Protocol protocol(ServiceEntrySpec.Port port) {
        return switch (port.protocolUpper()) {
            case "HTTP", "GRPC-WEB" -> Protocol.HTTP;
            case "HTTP2" -> Protocol.HTTP2;
            case "GRPC" -> Protocol.GRPC;
            case "HTTPS", "TLS" -> Protocol.TLS;
            case "" -> Protocol.of(port.name(), null);
            default -> Protocol.TCP;
        };
    }
}
