package dev.windlass.traffic.istio.validation;

import dev.windlass.traffic.istio.VirtualServiceSpec;

import java.util.List;

/** Istio's validation of a VirtualService as a whole: hosts, gateways, and each rule. */
final class VirtualServiceRules {
    private VirtualServiceRules() {
    }

    static void check(VirtualServiceSpec spec, Errors errors) {
        boolean delegate = spec.hosts().isEmpty();
        if (delegate) {
            if (!spec.gateways().isEmpty()) {
                errors.add("spec.gateways", "delegate virtual service must have no gateways specified");
            }
            if (!spec.tls().isEmpty()) {
                errors.add("spec.tls", "delegate virtual service must have no tls route specified");
            }
            if (!spec.tcp().isEmpty()) {
                errors.add("spec.tcp", "delegate virtual service must have no tcp route specified");
            }
            for (int i = 0; i < spec.http().size(); i++) {
                if (spec.http().get(i).delegate() != null) {
                    errors.add("spec.http[" + i + "].delegate", "delegate HTTP route cannot contain delegate");
                }
            }
        } else if (spec.http().isEmpty() && spec.tcp().isEmpty() && spec.tls().isEmpty()) {
            errors.add("spec", "http, tcp or tls must be provided in virtual service");
        }
        for (int i = 0; i < spec.hosts().size(); i++) {
            String host = spec.hosts().get(i);
            Values.host("spec.hosts[" + i + "]", host, errors);
            if ("*".equals(host) && spec.appliesToMesh()) {
                errors.add("spec.hosts[" + i + "]", "wildcard host * is not allowed for virtual services bound to the mesh gateway");
            }
        }
        duplicateHosts(spec.hosts(), errors);
        for (int i = 0; i < spec.gateways().size(); i++) {
            gateway("spec.gateways[" + i + "]", spec.gateways().get(i), errors);
        }
        Values.exportTo("spec.exportTo", spec.exportTo(), errors);
        for (int i = 0; i < spec.http().size(); i++) {
            HttpRouteRules.check("spec.http[" + i + "]", spec.http().get(i), errors);
        }
        for (int i = 0; i < spec.tcp().size(); i++) {
            var route = spec.tcp().get(i);
            String path = "spec.tcp[" + i + "]";
            destinations(path, route.route(), errors);
            for (int m = 0; m < route.match().size(); m++) {
                var match = route.match().get(m);
                l4(path + ".match[" + m + "]", match.destinationSubnets(), match.port(), match.sourceLabels(),
                        match.gateways(), match.sourceNamespace(), errors);
            }
        }
        for (int i = 0; i < spec.tls().size(); i++) {
            tls("spec.tls[" + i + "]", spec.tls().get(i), spec.hosts(), errors);
        }
    }

    private static void duplicateHosts(List<String> hosts, Errors errors) {
        for (int i = 0; i < hosts.size(); i++) {
            for (int j = i + 1; j < hosts.size(); j++) {
                if (within(hosts.get(j), hosts.get(i)) || within(hosts.get(i), hosts.get(j))) {
                    errors.add("spec.hosts[" + j + "]", "duplicate hosts in virtual service: " + hosts.get(i) + " & " + hosts.get(j));
                }
            }
        }
    }

    private static void tls(String path, VirtualServiceSpec.TlsRoute route, List<String> hosts, Errors errors) {
        destinations(path, route.route(), errors);
        if (route.match().isEmpty()) {
            errors.add(path + ".match", "TLS route must have at least one match condition");
        }
        for (int m = 0; m < route.match().size(); m++) {
            var match = route.match().get(m);
            String at = path + ".match[" + m + "]";
            if (match.sniHosts().isEmpty()) {
                errors.add(at + ".sniHosts", "TLS match must have at least one SNI host");
            }
            for (int s = 0; s < match.sniHosts().size(); s++) {
                String sni = match.sniHosts().get(s);
                Values.host(at + ".sniHosts[" + s + "]", sni, errors);
                if (hosts.stream().noneMatch(h -> within(sni, h))) {
                    errors.add(at + ".sniHosts[" + s + "]", "SNI host \"" + sni
                            + "\" is not a compatible subset of any of the virtual service hosts: [" + String.join(", ", hosts) + "]");
                }
            }
            l4(at, match.destinationSubnets(), match.port(), match.sourceLabels(), match.gateways(),
                    match.sourceNamespace(), errors);
        }
    }

    /** Whether {@code sni} names hosts within {@code host}: equal, or under its wildcard. */
    private static boolean within(String sni, String host) {
        if (host.equals("*") || sni.equals(host)) {
            return true;
        }
        if (host.startsWith("*.")) {
            String suffix = host.substring(1);
            return sni.endsWith(suffix);
        }
        return !host.contains(".") && sni.startsWith(host + ".");
    }

    private static void destinations(String path, List<VirtualServiceSpec.RouteDestination> route, Errors errors) {
        if (route.isEmpty()) {
            errors.add(path + ".route", (path.contains(".tls[") ? "TLS" : "TCP") + " route is required");
        }
        for (int d = 0; d < route.size(); d++) {
            Values.destination(path + ".route[" + d + "].destination", route.get(d).destination(), errors);
            HttpRouteRules.weight(path + ".route[" + d + "].weight", route.get(d).weight(), errors);
        }
        if (route.size() > 1 && route.stream().mapToLong(VirtualServiceSpec.RouteDestination::weightOrZero).sum() == 0) {
            errors.add(path + ".route", "total destination weight = 0");
        }
    }

    private static void l4(String path, List<String> subnets, Integer port, java.util.Map<String, String> labels,
                           List<String> gateways, String sourceNamespace, Errors errors) {
        for (int i = 0; i < subnets.size(); i++) {
            if (!cidr(subnets.get(i))) {
                errors.add(path + ".destinationSubnets[" + i + "]", subnets.get(i)
                        + (subnets.get(i).contains("/") ? " is not a valid CIDR block" : " is not a valid IP"));
            }
        }
        Values.port(path + ".port", port, errors);
        Values.labels(path + ".sourceLabels", labels, errors);
        for (int i = 0; i < gateways.size(); i++) {
            gateway(path + ".gateways[" + i + "]", gateways.get(i), errors);
        }
        if (sourceNamespace != null && !Values.dnsLabel(sourceNamespace)) {
            errors.add(path + ".sourceNamespace", "sourceNamespace match " + sourceNamespace + " is invalid");
        }
    }

    static boolean cidr(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length > 2 || !Values.isIp(parts[0])) {
            return false;
        }
        if (parts.length == 1) {
            return true;
        }
        int max = parts[0].contains(":") ? 128 : 32;
        return parts[1].matches("\\d{1,3}") && Integer.parseInt(parts[1]) <= max;
    }

    /**
     * A gateway reference: {@code mesh}, {@code namespace/name}, a short name (the VirtualService's namespace) or
     * Istio's legacy {@code name.namespace[.svc...]} form; see {@link dev.windlass.traffic.istio.GatewayRefs}.
     */
    static void gateway(String path, String gateway, Errors errors) {
        String[] parts = gateway.split("/", -1);
        boolean valid = parts.length == 1 ? Values.validHost(parts[0]) && !parts[0].contains("*")
                : parts.length == 2 && Values.dnsLabel(parts[0]) && Values.dnsLabel(parts[1]);
        if (!valid) {
            errors.add(path, "invalid gateway name \"" + gateway + "\"");
        }
    }
}
