package dev.windlass.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code windlass x describe pod}: what of the mesh's config applies to one pod, as {@code istioctl x describe pod}
 * prints it: the Services selecting it, and per Service the DestinationRules for its host (which subsets the pod
 * is in, the traffic policy) and the mesh VirtualServices routing to it; then the PeerAuthentications and
 * AuthorizationPolicies and RequestAuthentications selecting the pod, when the cluster serves them.
 */
final class PodDescription {
    private static final String SEPARATOR = "--------------------\n";

    private final JsonNode pod;
    private final List<JsonNode> objects;
    private final String meshNamespace;
    private final StringBuilder out = new StringBuilder();

    private PodDescription(JsonNode pod, List<JsonNode> objects, String meshNamespace) {
        this.pod = pod;
        this.objects = objects;
        this.meshNamespace = meshNamespace;
    }

    /** @param objects the cluster's Services, VirtualServices, DestinationRules and security policies, as JSON */
    static String describe(JsonNode pod, List<JsonNode> objects, String meshNamespace) {
        return new PodDescription(pod, objects, meshNamespace).render();
    }

    private String render() {
        out.append("Pod: ").append(name(pod)).append('\n');
        out.append("   Pod Ports: ").append(String.join(", ", podPorts())).append('\n');
        List<JsonNode> services = of("Service").stream()
                .filter(s -> sameNamespace(s) && !s.at("/spec/selector").isEmpty() && selects(s.at("/spec/selector"))).toList();
        if (services.isEmpty()) {
            out.append("Suggestion: add a Service whose selector matches this pod's labels\n");
        }
        for (JsonNode service : services) {
            out.append(SEPARATOR);
            service(service);
        }
        security();
        return out.toString();
    }

    private List<String> podPorts() {
        List<String> ports = new ArrayList<>();
        for (JsonNode container : pod.at("/spec/containers")) {
            container.path("ports").forEach(p -> ports.add(p.path("containerPort").asText() + " (" + container.path("name").asText() + ")"));
        }
        return ports;
    }

    private void service(JsonNode service) {
        out.append("Service: ").append(name(service)).append('\n');
        for (JsonNode port : service.at("/spec/ports")) {
            out.append("   Port: ").append(port.path("name").asText()).append(' ').append(port.path("port").asText())
                    .append('/').append(port.path("protocol").asText("TCP")).append(" targets pod port ")
                    .append(port.path("targetPort").asText(port.path("port").asText())).append('\n');
        }
        for (JsonNode rule : of("DestinationRule")) {
            if (Hosts.matches(rule.at("/spec/host").asText(), namespace(rule), name(service), namespace(service))) {
                destinationRule(rule);
            }
        }
        for (JsonNode virtualService : of("VirtualService")) {
            if (appliesToMesh(virtualService) && routesTo(virtualService, service)) {
                virtualService(virtualService, service);
            }
        }
    }

    private void destinationRule(JsonNode rule) {
        out.append("DestinationRule: ").append(name(rule)).append(" for \"").append(rule.at("/spec/host").asText()).append("\"\n");
        List<String> matching = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (JsonNode subset : rule.at("/spec/subsets")) {
            (selects(subset.path("labels")) ? matching : other).add(subset.path("name").asText());
        }
        if (!matching.isEmpty() || !other.isEmpty()) {
            out.append("   Matching subsets: ").append(matching.isEmpty() ? "none" : String.join(",", matching)).append('\n');
        }
        if (!other.isEmpty()) {
            out.append("      (Non-matching subsets ").append(String.join(",", other)).append(")\n");
        }
        JsonNode policy = rule.at("/spec/trafficPolicy");
        if (policy.isObject()) {
            out.append("   Traffic Policy: ").append(policySummary(policy)).append('\n');
        }
    }

    private static String policySummary(JsonNode policy) {
        List<String> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = policy.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String detail = switch (field.getKey()) {
                case "tls" -> " " + field.getValue().path("mode").asText();
                case "loadBalancer" -> " " + field.getValue().path("simple").asText("");
                default -> "";
            };
            parts.add((field.getKey() + detail).strip());
        }
        return String.join(", ", parts);
    }

    private void virtualService(JsonNode virtualService, JsonNode service) {
        out.append("VirtualService: ").append(name(virtualService)).append('\n');
        JsonNode routes = virtualService.at("/spec/http");
        out.append("   ").append(routes.size()).append(" HTTP route(s)\n");
        for (JsonNode route : routes) {
            String when = match(route.path("match"));
            for (JsonNode destination : route.path("route")) {
                if (destinationIs(destination, virtualService, service)) {
                    out.append("   Route to ").append(subsetText(destination)).append(when).append('\n');
                }
            }
        }
    }

    private String subsetText(JsonNode destination) {
        String subset = destination.at("/destination/subset").asText("");
        String weight = destination.has("weight") ? " weight " + destination.path("weight").asText() + "%" : "";
        return (subset.isEmpty() ? "host " : "subset " + subset + " of host ")
                + destination.at("/destination/host").asText() + weight;
    }

    private static String match(JsonNode matches) {
        if (!matches.isArray() || matches.isEmpty()) {
            return " for (everything)";
        }
        List<String> conditions = new ArrayList<>();
        for (JsonNode m : matches) {
            m.fieldNames().forEachRemaining(field -> conditions.add(field + " " + ProxyConfigDump.JSON.valueToTree(m.get(field))));
        }
        return " when " + String.join(" or ", conditions);
    }

    private boolean routesTo(JsonNode virtualService, JsonNode service) {
        for (JsonNode route : virtualService.at("/spec/http")) {
            for (JsonNode destination : route.path("route")) {
                if (destinationIs(destination, virtualService, service)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean destinationIs(JsonNode destination, JsonNode virtualService, JsonNode service) {
        return Hosts.matches(destination.at("/destination/host").asText(), namespace(virtualService), name(service), namespace(service));
    }

    private static boolean appliesToMesh(JsonNode virtualService) {
        JsonNode gateways = virtualService.at("/spec/gateways");
        if (!gateways.isArray() || gateways.isEmpty()) {
            return true;
        }
        for (JsonNode gateway : gateways) {
            if (gateway.asText().equals("mesh")) {
                return true;
            }
        }
        return false;
    }

    private void security() {
        List<String> lines = new ArrayList<>();
        for (JsonNode policy : of("PeerAuthentication")) {
            if (appliesHere(policy)) {
                lines.add("PeerAuthentication: " + namespace(policy) + "/" + name(policy) + " (mode "
                        + policy.at("/spec/mtls/mode").asText("UNSET") + ")");
            }
        }
        for (JsonNode policy : of("AuthorizationPolicy")) {
            if (appliesHere(policy)) {
                lines.add("AuthorizationPolicy: " + namespace(policy) + "/" + name(policy) + " ("
                        + policy.at("/spec/action").asText("ALLOW") + ", " + policy.at("/spec/rules").size() + " rule(s))");
            }
        }
        for (JsonNode policy : of("RequestAuthentication")) {
            if (appliesHere(policy)) {
                List<String> issuers = new ArrayList<>();
                policy.at("/spec/jwtRules").forEach(rule -> issuers.add(rule.path("issuer").asText()));
                lines.add("RequestAuthentication: " + namespace(policy) + "/" + name(policy) + " (issuers "
                        + String.join(", ", issuers) + ")");
            }
        }
        if (!lines.isEmpty()) {
            out.append(SEPARATOR);
            lines.forEach(line -> out.append(line).append('\n'));
        }
    }

    /** A security policy applies in the pod's namespace, or mesh-wide from the mesh namespace, when its selector fits. */
    private boolean appliesHere(JsonNode policy) {
        boolean inScope = sameNamespace(policy) || namespace(policy).equals(meshNamespace);
        return inScope && selects(policy.at("/spec/selector/matchLabels"));
    }

    /** A missing or empty selector selects every pod, as in Istio's policies; a Service's must be non-empty. */
    private boolean selects(JsonNode labels) {
        JsonNode podLabels = pod.at("/metadata/labels");
        for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> label = it.next();
            if (!podLabels.path(label.getKey()).asText("\u0000").equals(label.getValue().asText())) {
                return false;
            }
        }
        return true;
    }

    private List<JsonNode> of(String kind) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    private boolean sameNamespace(JsonNode object) {
        return namespace(object).equals(namespace(pod));
    }

    private static String name(JsonNode object) {
        return object.at("/metadata/name").asText();
    }

    private static String namespace(JsonNode object) {
        return object.at("/metadata/namespace").asText("default");
    }

    /** Istio host names as written in a VirtualService or DestinationRule of namespace {@code from}. */
    static final class Hosts {
        private Hosts() {
        }

        static boolean matches(String host, String from, String service, String namespace) {
            String fqdn = service + "." + namespace + ".svc.cluster.local";
            if (host.startsWith("*")) {
                return fqdn.endsWith(host.substring(1));
            }
            return host.equals(fqdn) || host.equals(service + "." + namespace) || host.equals(service + "." + namespace + ".svc")
                    || host.equals(service) && from.equals(namespace);
        }
    }
}
