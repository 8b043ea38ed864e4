package dev.windlass.traffic.istio.validation;

import dev.windlass.traffic.istio.ServiceEntrySpec;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Istio's validation of a ServiceEntry (ValidateServiceEntry): hosts, addresses, ports, endpoints per resolution. */
final class ServiceEntryRules {
    /** Istio's protocol names (protocol.Parse); MONGO, MYSQL and REDIS are proxied as TCP, as Istio does by default. */
    static final Set<String> PROTOCOLS = Set.of("HTTP", "HTTPS", "GRPC", "GRPC-WEB", "HTTP2", "TCP", "TLS", "MONGO",
            "MYSQL", "REDIS");

    private ServiceEntryRules() {
    }

    static void check(ServiceEntrySpec spec, Errors errors) {
        hosts(spec, errors);
        addresses(spec, errors);
        Set<String> portNames = ports(spec, errors);
        String resolution = spec.resolutionOrDefault();
        if (!ServiceEntrySpec.RESOLUTIONS.contains(resolution)) {
            errors.add("spec.resolution", "unsupported resolution type " + resolution);
        }
        if (spec.location() != null && !ServiceEntrySpec.LOCATIONS.contains(spec.location())) {
            errors.add("spec.location", "\"" + spec.location() + "\" is not one of " + ServiceEntrySpec.LOCATIONS);
        }
        endpoints(spec, resolution, portNames, errors);
        if (!resolution.equals("NONE") && spec.hosts().size() > 1 && spec.ports().stream()
                .anyMatch(p -> !httpOrTls(p.protocolUpper()))) {
            errors.add("spec.ports", "multiple hosts provided with non-HTTP, non-TLS ports");
        }
        Values.exportTo("spec.exportTo", spec.exportTo(), errors);
    }

    private static void hosts(ServiceEntrySpec spec, Errors errors) {
        if (spec.hosts().isEmpty()) {
            errors.add("spec.hosts", "service entry must have at least one host");
        }
        boolean dnsWithoutEndpoints = spec.endpoints().isEmpty()
                && spec.resolutionOrDefault().startsWith("DNS");
        for (int i = 0; i < spec.hosts().size(); i++) {
            String host = spec.hosts().get(i);
            String path = "spec.hosts[" + i + "]";
            if ("*".equals(host)) {
                errors.add(path, "invalid host *");
            } else if (host == null || !Values.validHost(host)) {
                errors.add(path, "domain name \"" + host + "\" invalid (a DNS name, optionally with a leading *. wildcard)");
            } else if (dnsWithoutEndpoints && host.startsWith("*")) {
                errors.add(path, "hosts must be FQDN if no endpoints are provided for resolution mode "
                        + spec.resolutionOrDefault());
            }
        }
    }

    private static void addresses(ServiceEntrySpec spec, Errors errors) {
        boolean cidr = false;
        for (int i = 0; i < spec.addresses().size(); i++) {
            String address = spec.addresses().get(i);
            cidr |= address != null && address.contains("/");
            if (address == null || !Values.isIpOrCidr(address)) {
                errors.add("spec.addresses[" + i + "]", "\"" + address + "\" is not a valid IP address or CIDR");
            }
        }
        String resolution = spec.resolutionOrDefault();
        if (cidr && !resolution.equals("NONE") && !resolution.equals("STATIC")) {
            errors.add("spec.addresses", "CIDR addresses are allowed only for NONE/STATIC resolution types");
        }
    }

    /** Checks the ports; returns their names, which endpoints' port overrides must refer to. */
    private static Set<String> ports(ServiceEntrySpec spec, Errors errors) {
        Set<String> names = new HashSet<>();
        Set<Integer> numbers = new HashSet<>();
        for (int i = 0; i < spec.ports().size(); i++) {
            ServiceEntrySpec.Port port = spec.ports().get(i);
            String path = "spec.ports[" + i + "]";
            if (port == null) {
                errors.add(path, "port must not be null");
                continue;
            }
            if (!Values.dnsLabel(port.name())) {
                errors.add(path + ".name", "invalid port name: " + (port.name() == null ? "" : port.name()));
            } else if (!names.add(port.name())) {
                errors.add(path + ".name", "service entry port name \"" + port.name() + "\" already defined");
            }
            if (port.number() == null) {
                errors.add(path + ".number", "port number is required");
            } else {
                Values.port(path + ".number", port.number(), errors);
                if (!numbers.add(port.number())) {
                    errors.add(path + ".number", "service entry port " + port.number() + " already defined");
                }
            }
            Values.port(path + ".targetPort", port.targetPort(), errors);
            if (port.protocol() != null && !port.protocol().isEmpty() && !PROTOCOLS.contains(port.protocolUpper())) {
                errors.add(path + ".protocol", "unsupported protocol: " + port.protocol());
            }
        }
        return names;
    }

    private static void endpoints(ServiceEntrySpec spec, String resolution, Set<String> portNames, Errors errors) {
        List<ServiceEntrySpec.Endpoint> endpoints = spec.endpoints();
        if (resolution.equals("NONE") && !endpoints.isEmpty()) {
            errors.add("spec.endpoints", "no endpoints should be provided for resolution type none");
            return;
        }
        if (resolution.equals("DNS_ROUND_ROBIN") && endpoints.size() > 1) {
            errors.add("spec.endpoints", "there must only be one endpoint for resolution mode DNS_ROUND_ROBIN");
        }
        for (int i = 0; i < endpoints.size(); i++) {
            ServiceEntrySpec.Endpoint endpoint = endpoints.get(i);
            String path = "spec.endpoints[" + i + "]";
            if (endpoint == null) {
                errors.add(path, "endpoint must not be null");
                continue;
            }
            address(path + ".address", endpoint.address(), resolution, errors);
            for (Map.Entry<String, Integer> port : endpoint.ports().entrySet()) {
                if (!portNames.contains(port.getKey())) {
                    errors.add(path + ".ports." + port.getKey(), "endpoint port " + port.getValue()
                            + " is not defined by the service entry");
                }
                Values.port(path + ".ports." + port.getKey(), port.getValue(), errors);
            }
            Values.labels(path + ".labels", endpoint.labels(), errors);
        }
    }

    private static void address(String path, String address, String resolution, Errors errors) {
        if (address == null || address.isEmpty()) {
            errors.add(path, "endpoint address must be set");
        } else if (address.startsWith("unix://")) {
            errors.notSupported(path + " (unix domain socket endpoints)");
        } else if (resolution.equals("STATIC") && !Values.isIp(address)) {
            errors.add(path, "endpoint address \"" + address + "\" is not a valid IP address");
        } else if (!Values.isIp(address) && (address.contains("*") || !Values.validHost(address))) {
            errors.add(path, "endpoint address \"" + address + "\" is not a valid FQDN or an IP address");
        }
    }

    private static boolean httpOrTls(String protocol) {
        return List.of("HTTP", "HTTPS", "GRPC", "GRPC-WEB", "HTTP2", "TLS").contains(protocol);
    }
}
