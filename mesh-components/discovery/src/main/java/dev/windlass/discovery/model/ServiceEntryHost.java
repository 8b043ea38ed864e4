package dev.windlass.discovery.model;

import dev.windlass.discovery.routing.Visibility;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One host of a ServiceEntry, as the registry holds it: Istio turns every host of an entry into a service of its
 * own, with the entry's addresses, ports, resolution and endpoints. {@code host} is an FQDN or a wildcard
 * ({@code *.example.com}); {@code addresses} are IPs or CIDR blocks (the service's virtual addresses).
 */
public record ServiceEntryHost(String source, String namespace, String name, Instant created, String host,
                               List<String> addresses, List<Port> ports, Resolution resolution, boolean meshInternal,
                               List<Endpoint> endpoints, Visibility visibility) {

    /** How the endpoints are found: none (original destination), listed IPs, or names the proxy resolves. */
    public enum Resolution { NONE, STATIC, DNS, DNS_ROUND_ROBIN }

    public ServiceEntryHost {
        addresses = List.copyOf(addresses);
        ports = List.copyOf(ports);
        endpoints = List.copyOf(endpoints);
    }

    /** {@code targetPort} 0: the endpoints listen on {@code number}, unless an endpoint says otherwise. */
    public record Port(String name, int number, int targetPort, Protocol protocol) {
    }

    /** An address (an IP, or a DNS name under DNS resolution), per-port-name port overrides, labels. */
    public record Endpoint(String address, Map<String, Integer> ports, Map<String, String> labels) {
        public Endpoint {
            ports = Map.copyOf(ports);
            labels = Map.copyOf(labels);
        }
    }

    /** The port an endpoint listens on for {@code port}: its own override, else the target port, else the number. */
    public int endpointPort(Endpoint endpoint, Port port) {
        Integer own = endpoint.ports().get(port.name());
        if (own != null) {
            return own;
        }
        return port.targetPort() > 0 ? port.targetPort() : port.number();
    }

    /**
     * The endpoints clusters use: the listed ones, or under DNS resolution without any listed, the host itself
     * (Istio: "the proxy will resolve the DNS address specified in the hosts field").
     */
    public List<Endpoint> effectiveEndpoints() {
        if (endpoints.isEmpty() && (resolution == Resolution.DNS || resolution == Resolution.DNS_ROUND_ROBIN)) {
            return List.of(new Endpoint(host, Map.of(), Map.of()));
        }
        return endpoints;
    }

    /** The virtual addresses that are single IPs (CIDR blocks match connections, but are no route domain). */
    public List<String> ips() {
        return addresses.stream().filter(a -> !a.contains("/")).toList();
    }

    public String key() {
        return namespace + "/" + name;
    }
}
