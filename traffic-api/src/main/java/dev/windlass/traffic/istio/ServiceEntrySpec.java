package dev.windlass.traffic.istio;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The spec of a ServiceEntry ({@code networking.istio.io}, v1alpha3, v1beta1 and v1 alike): hosts added to the
 * mesh's service registry, with their virtual addresses, ports, location, how their endpoints are found
 * ({@code resolution}) and who sees them ({@code exportTo}). Fields Windlass does not implement are not in the
 * record, so the strict parser refuses them by path: {@code workloadSelector}, {@code subjectAltNames}, and of an
 * endpoint {@code weight}, {@code locality}, {@code network} and {@code serviceAccount}.
 */
public record ServiceEntrySpec(List<String> hosts, List<String> addresses, List<Port> ports, String location,
                               String resolution, List<Endpoint> endpoints, List<String> exportTo) {

    public static final List<String> LOCATIONS = List.of("MESH_EXTERNAL", "MESH_INTERNAL");
    public static final List<String> RESOLUTIONS = List.of("NONE", "STATIC", "DNS", "DNS_ROUND_ROBIN");

    public ServiceEntrySpec {
        hosts = Nulls.list(hosts);
        addresses = Nulls.list(addresses);
        ports = Nulls.list(ports);
        endpoints = Nulls.list(endpoints);
        exportTo = Nulls.list(exportTo);
    }

    /** Istio's default: an entry without a location is outside the mesh. */
    public String locationOrDefault() {
        return location == null ? "MESH_EXTERNAL" : location;
    }

    /** Istio's default: NONE, the connection goes where the application sent it. */
    public String resolutionOrDefault() {
        return resolution == null ? "NONE" : resolution;
    }

    /** {@code protocol}: Istio's names, case-insensitive (HTTP, HTTPS, GRPC, HTTP2, TLS, TCP, ...). */
    public record Port(Integer number, String protocol, String name, Integer targetPort) {
        public String protocolUpper() {
            return protocol == null ? "" : protocol.toUpperCase(Locale.ROOT);
        }
    }

    /** One endpoint (Istio's WorkloadEntry inline): an address, per-port-name overrides of the port, labels. */
    public record Endpoint(String address, Map<String, Integer> ports, Map<String, String> labels) {
        public Endpoint {
            ports = Nulls.map(ports);
            labels = Nulls.map(labels);
        }
    }
}
