package dev.windlass.profiles.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.windlass.profiles.render.RecordSchema.Field;
import dev.windlass.traffic.istio.AuthorizationPolicySpec;
import dev.windlass.traffic.istio.RequestAuthenticationSpec;
import dev.windlass.traffic.istio.Destination;
import dev.windlass.traffic.istio.DestinationRuleSpec;
import dev.windlass.traffic.istio.GatewaySpec;
import dev.windlass.traffic.istio.HttpRoute;
import dev.windlass.traffic.istio.IstioKind;
import dev.windlass.traffic.istio.PeerAuthenticationSpec;
import dev.windlass.traffic.istio.ServiceEntrySpec;
import dev.windlass.traffic.istio.VirtualServiceSpec;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsOrArray;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The schemas of the Istio CRDs: the spec of each kind Windlass implements (VirtualService, DestinationRule,
 * Gateway, ServiceEntry, PeerAuthentication, AuthorizationPolicy, RequestAuthentication) generated from the
 * traffic-api records (see {@link RecordSchema}), and Istio's status shape for every kind.
 *
 * <p>The schema says what Istio's CRD says about types: Istio's enums (loadBalancer.simple,
 * corsPolicy.unmatchedPreflights), int32 for integers, and minimum 0 where Istio's field is a uint32 (ports,
 * status and redirect codes). It deliberately leaves out the ranges that are validation rules (weight &ge; 0,
 * ports 1..65535, percentages 0..100, durations, required fields): Istio's CRD does not have them either, and
 * the apiserver checks the schema before it calls any webhook, so a bound here would replace the webhook's
 * message naming Istio's rule ("weight -10 &lt; 0") with the generic "should be greater than or equal to 0".
 */
final class TrafficApiSchemas {
    private static final List<String> LOAD_BALANCERS =
            List.of("UNSPECIFIED", "LEAST_CONN", "RANDOM", "PASSTHROUGH", "ROUND_ROBIN", "LEAST_REQUEST");
    private static final List<String> UNMATCHED_PREFLIGHTS = List.of("UNSPECIFIED", "FORWARD", "IGNORE");
    private static final List<String> TLS_MODES =
            List.of("PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL", "OPTIONAL_MUTUAL");
    private static final List<String> CLIENT_TLS_MODES = List.of("DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL");
    private static final List<String> TLS_VERSIONS = List.of("TLS_AUTO", "TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3");
    private static final String NOT_IMPLEMENTED =
            " Fields Windlass does not implement yet are refused at admission, by name.";

    private TrafficApiSchemas() {
    }

    /** The spec of a kind: typed for the implemented kinds, open for the others (their webhook refuses them). */
    static JSONSchemaProps spec(IstioKind kind) {
        return switch (kind) {
            case VIRTUAL_SERVICE -> new JSONSchemaPropsBuilder(RecordSchema.of(VirtualServiceSpec.class, HINTS))
                    .withDescription("Configuration affecting label/content routing, sni routing, etc. See more details at: "
                            + "https://istio.io/docs/reference/config/networking/virtual-service.html." + NOT_IMPLEMENTED)
                    .build();
            case DESTINATION_RULE -> new JSONSchemaPropsBuilder(RecordSchema.of(DestinationRuleSpec.class, HINTS))
                    .withDescription("Configuration affecting load balancing, outlier detection, etc. See more details at: "
                            + "https://istio.io/docs/reference/config/networking/destination-rule.html." + NOT_IMPLEMENTED)
                    .build();
            case SERVICE_ENTRY -> new JSONSchemaPropsBuilder(RecordSchema.of(ServiceEntrySpec.class, HINTS))
                    .withDescription("Configuration affecting service registry. See more details at: "
                            + "https://istio.io/docs/reference/config/networking/service-entry.html." + NOT_IMPLEMENTED)
                    .build();
            case GATEWAY -> new JSONSchemaPropsBuilder(RecordSchema.of(GatewaySpec.class, HINTS))
                    .withDescription("Configuration affecting edge load balancer. See more details at: "
                            + "https://istio.io/docs/reference/config/networking/gateway.html." + NOT_IMPLEMENTED)
                    .build();
            case PEER_AUTHENTICATION -> new JSONSchemaPropsBuilder(RecordSchema.of(PeerAuthenticationSpec.class, HINTS))
                    .withDescription("Peer authentication configuration for workloads. See more details at: "
                            + "https://istio.io/docs/reference/config/security/peer_authentication.html." + NOT_IMPLEMENTED)
                    .build();
            case AUTHORIZATION_POLICY -> new JSONSchemaPropsBuilder(RecordSchema.of(AuthorizationPolicySpec.class, HINTS))
                    .withDescription("Configuration for access control on workloads. See more details at: "
                            + "https://istio.io/docs/reference/config/security/authorization-policy.html." + NOT_IMPLEMENTED)
                    .build();
            case REQUEST_AUTHENTICATION -> new JSONSchemaPropsBuilder(RecordSchema.of(RequestAuthenticationSpec.class, HINTS))
                    .withDescription("Request authentication configuration for workloads. See more details at: "
                            + "https://istio.io/docs/reference/config/security/request_authentication.html." + NOT_IMPLEMENTED)
                    .build();
            case SIDECAR -> open("Not implemented by Windlass yet: refused at admission.");
        };
    }

    /** Istio's status (istio.meta.v1alpha1.IstioStatus), which the discovery server writes. */
    static JSONSchemaProps status() {
        JSONSchemaProps condition = object(new TreeMap<>(Map.of(
                "lastProbeTime", described(dateTime(), "Last time we probed the condition."),
                "lastTransitionTime", described(dateTime(), "Last time the condition transitioned from one status to another."),
                "message", string("Human-readable message indicating details about last transition."),
                "observedGeneration", described(intOrString(), "Resource Generation to which the Condition refers."),
                "reason", string("Unique, one-word, CamelCase reason for the condition's last transition."),
                "status", string("Status is the status of the condition."),
                "type", string("Type is the type of the condition."))));
        JSONSchemaProps messageType = object(new TreeMap<>(Map.of(
                "code", string("A 7 character code matching `^IST[0-9]{4}$` intended to uniquely identify the message type."),
                "name", string("A human-readable name for the message type."))));
        JSONSchemaProps message = object(new TreeMap<>(Map.of(
                "documentationUrl", string("A url pointing to the Istio documentation for this specific error type."),
                "level", new JSONSchemaPropsBuilder(string("Represents how severe a message is.\n\n"
                        + "Valid Options: UNKNOWN, ERROR, WARNING, INFO"))
                        .withEnum(texts(List.of("UNKNOWN", "ERROR", "WARNING", "INFO"))).build(),
                "type", messageType)));
        return new JSONSchemaPropsBuilder().withType("object").withXKubernetesPreserveUnknownFields(true)
                .withProperties(new TreeMap<>(Map.of(
                        "conditions", described(array(condition), "Current service state of the resource."),
                        "observedGeneration", intOrString(),
                        "validationMessages", described(array(message),
                                "Includes any errors or warnings detected by Istio's analyzers."))))
                .build();
    }

    /** Istio's enums and bounds, and the descriptions {@code kubectl explain} shows. */
    private static final RecordSchema.Hints HINTS = new RecordSchema.Hints(hints());

    private static Map<Field, UnaryOperator<JSONSchemaPropsBuilder>> hints() {
        Map<Field, UnaryOperator<JSONSchemaPropsBuilder>> hints = new HashMap<>();
        hints.put(new Field(DestinationRuleSpec.LoadBalancer.class, "simple"), b -> b.withEnum(texts(LOAD_BALANCERS))
                .withDescription("Valid Options: LEAST_REQUEST, ROUND_ROBIN, RANDOM, PASSTHROUGH (LEAST_CONN is the "
                        + "deprecated name of LEAST_REQUEST)"));
        hints.put(new Field(DestinationRuleSpec.ConnectionPool.Http.class, "h2UpgradePolicy"), b -> b
                .withEnum(texts(DestinationRuleSpec.ConnectionPool.Http.H2_UPGRADE_POLICIES))
                .withDescription("Specify if http1.1 connection should be upgraded to http2 for the associated "
                        + "destination.\n\nValid Options: DEFAULT (DO_NOT_UPGRADE in Windlass: it has no mesh-wide "
                        + "policy), DO_NOT_UPGRADE, UPGRADE"));
        hints.put(new Field(AuthorizationPolicySpec.class, "action"), b -> b.withEnum(texts(AuthorizationPolicySpec.ACTIONS))
                .withDescription("Optional.\n\nValid Options: ALLOW, DENY, AUDIT (CUSTOM is refused by Windlass)"));
        hints.put(new Field(PeerAuthenticationSpec.Mtls.class, "mode"), b -> b.withEnum(texts(PeerAuthenticationSpec.MODES))
                .withDescription("Defines the mTLS mode used for peer authentication.\n\nValid Options: DISABLE, PERMISSIVE, STRICT"));
        hints.put(new Field(HttpRoute.CorsPolicy.class, "unmatchedPreflights"), b -> b.withEnum(texts(UNMATCHED_PREFLIGHTS))
                .withDescription("Indicates whether preflight requests not matching the configured allowed origin "
                        + "shouldn't be forwarded to the upstream.\n\nValid Options: FORWARD, IGNORE"));
        hints.put(new Field(ServiceEntrySpec.class, "location"), b -> b.withEnum(texts(ServiceEntrySpec.LOCATIONS))
                .withDescription("Specify whether the service should be considered external to the mesh or part of the "
                        + "mesh.\n\nValid Options: MESH_EXTERNAL, MESH_INTERNAL"));
        hints.put(new Field(ServiceEntrySpec.class, "resolution"), b -> b.withEnum(texts(ServiceEntrySpec.RESOLUTIONS))
                .withDescription("Service resolution mode for the hosts.\n\nValid Options: NONE, STATIC, DNS, DNS_ROUND_ROBIN"));
        hints.put(new Field(GatewaySpec.ServerTls.class, "mode"), b -> b.withEnum(texts(TLS_MODES))
                .withDescription("Optional: Indicates whether connections to this port should be secured using TLS.\n\n"
                        + "Valid Options: PASSTHROUGH, SIMPLE, MUTUAL (AUTO_PASSTHROUGH, ISTIO_MUTUAL and OPTIONAL_MUTUAL are "
                        + "refused by Windlass)"));
        hints.put(new Field(DestinationRuleSpec.ClientTls.class, "mode"), b -> b.withEnum(texts(CLIENT_TLS_MODES))
                .withDescription("Indicates whether connections to this port should be secured using TLS.\n\n"
                        + "Valid Options: DISABLE, SIMPLE (MUTUAL and ISTIO_MUTUAL are refused by Windlass)"));
        for (String version : List.of("minProtocolVersion", "maxProtocolVersion")) {
            hints.put(new Field(GatewaySpec.ServerTls.class, version), b -> b.withEnum(texts(TLS_VERSIONS))
                    .withDescription("Optional: TLS protocol version.\n\nValid Options: TLS_AUTO, TLSV1_2, TLSV1_3 "
                            + "(TLSV1_0 and TLSV1_1 are refused by Windlass)"));
        }
        UnaryOperator<JSONSchemaPropsBuilder> uint32 = b -> b.withMinimum(0d);
        for (Field field : List.of(new Field(Destination.PortSelector.class, "number"),
                new Field(HttpRoute.MatchRequest.class, "port"), new Field(VirtualServiceSpec.L4Match.class, "port"),
                new Field(VirtualServiceSpec.TlsMatch.class, "port"), new Field(HttpRoute.Redirect.class, "port"),
                new Field(HttpRoute.Redirect.class, "redirectCode"), new Field(HttpRoute.DirectResponse.class, "status"),
                new Field(HttpRoute.class, "mirrorPercent"), new Field(ServiceEntrySpec.Port.class, "number"),
                new Field(ServiceEntrySpec.Port.class, "targetPort"), new Field(GatewaySpec.Port.class, "number"),
                new Field(GatewaySpec.Port.class, "targetPort"))) {
            hints.put(field, uint32);
        }
        descriptions().forEach((field, text) -> hints.merge(field, b -> b.withDescription(text),
                (first, second) -> b -> second.apply(first.apply(b))));
        return hints;
    }

    private static Map<Field, String> descriptions() {
        Map<Field, String> d = new HashMap<>();
        Class<?> vs = VirtualServiceSpec.class;
        d.put(new Field(vs, "hosts"), "The destination hosts to which traffic is being sent.");
        d.put(new Field(vs, "gateways"), "The names of gateways and sidecars that should apply these routes.");
        d.put(new Field(vs, "http"), "An ordered list of route rules for HTTP traffic.");
        d.put(new Field(vs, "tls"), "An ordered list of route rule for non-terminated TLS & HTTPS traffic.");
        d.put(new Field(vs, "tcp"), "An ordered list of route rules for opaque TCP traffic.");
        d.put(new Field(vs, "exportTo"), "A list of namespaces to which this virtual service is exported.");
        Class<?> dr = DestinationRuleSpec.class;
        d.put(new Field(dr, "host"), "The name of a service from the service registry.");
        d.put(new Field(dr, "trafficPolicy"), "Traffic policies to apply (load balancing policy, connection pool sizes, "
                + "outlier detection). Windlass implements loadBalancer.simple, loadBalancer.warmupDurationSecs, loadBalancer.consistentHash (header, cookie, source IP, query parameter; ring or Maglev), portLevelSettings, outlierDetection, tls (DISABLE, SIMPLE) and the connectionPool fields of its schema.");
        Class<?> clientTls = DestinationRuleSpec.ClientTls.class;
        d.put(new Field(clientTls, "sni"), "SNI string to present to the server during TLS handshake.");
        d.put(new Field(clientTls, "caCertificates"), "The path to the file (in the proxy) holding the CA certificates "
                + "that verify the server's certificate; without it (and without insecureSkipVerify) the proxy's JRE "
                + "trust store is used.");
        d.put(new Field(clientTls, "subjectAltNames"), "A list of alternate names to verify the subject identity in the "
                + "certificate.");
        d.put(new Field(clientTls, "insecureSkipVerify"), "InsecureSkipVerify specifies whether the proxy should skip "
                + "verifying the CA signature and SAN for the server certificate corresponding to the host.");
        d.put(new Field(dr, "subsets"), "One or more named sets that represent individual versions of a service.");
        d.put(new Field(dr, "exportTo"), "A list of namespaces to which this destination rule is exported.");
        Class<?> se = ServiceEntrySpec.class;
        d.put(new Field(se, "hosts"), "The hosts associated with the ServiceEntry.");
        d.put(new Field(se, "addresses"), "The virtual IP addresses associated with the service.");
        d.put(new Field(se, "ports"), "The ports associated with the external service.");
        d.put(new Field(se, "endpoints"), "One or more endpoints associated with the service. Windlass implements "
                + "address, ports and labels.");
        d.put(new Field(se, "exportTo"), "A list of namespaces to which this service is exported.");
        Class<?> http = HttpRoute.class;
        d.put(new Field(http, "name"), "The name assigned to the route for debugging purposes.");
        d.put(new Field(http, "match"), "Match conditions to be satisfied for the rule to be activated.");
        d.put(new Field(http, "route"), "A HTTP rule can either return a direct_response, redirect or forward (default) traffic.");
        d.put(new Field(http, "redirect"), "A HTTP rule can either return a direct_response, redirect or forward (default) traffic.");
        d.put(new Field(http, "directResponse"), "A HTTP rule can either return a direct_response, redirect or forward (default) traffic.");
        d.put(new Field(http, "delegate"), "Delegate is used to specify the particular VirtualService which can be used to define delegate HTTPRoute.");
        d.put(new Field(http, "rewrite"), "Rewrite HTTP URIs and Authority headers.");
        d.put(new Field(http, "timeout"), "Timeout for HTTP requests, default is disabled.");
        d.put(new Field(http, "retries"), "Retry policy for HTTP requests.");
        d.put(new Field(http, "fault"), "Fault injection policy to apply on HTTP traffic at the client side.");
        d.put(new Field(http, "mirror"), "Mirror HTTP traffic to a another destination in addition to forwarding the requests to the intended destination.");
        d.put(new Field(http, "mirrorPercentage"), "Percentage of the traffic to be mirrored by the `mirror` field.");
        d.put(new Field(http, "mirrors"), "Specifies the destinations to mirror HTTP traffic in addition to the original destination.");
        d.put(new Field(http, "corsPolicy"), "Cross-Origin Resource Sharing policy (CORS).");
        d.put(new Field(http, "headers"), "Header manipulation rules.");
        d.put(new Field(HttpRoute.RouteDestination.class, "weight"),
                "Weight specifies the relative proportion of traffic to be forwarded to the destination.");
        d.put(new Field(Destination.class, "host"), "The name of a service from the service registry.");
        d.put(new Field(Destination.class, "subset"), "The name of a subset within the service.");
        d.put(new Field(Destination.class, "port"), "Specifies the port on the host that is being addressed.");
        gatewayDescriptions(d);
        return d;
    }

    private static void gatewayDescriptions(Map<Field, String> d) {
        Class<?> gw = GatewaySpec.class;
        d.put(new Field(gw, "selector"), "One or more labels that indicate a specific set of pods/VMs on which this gateway "
                + "configuration should be applied.");
        d.put(new Field(gw, "servers"), "A list of server specifications.");
        Class<?> server = GatewaySpec.Server.class;
        d.put(new Field(server, "port"), "The Port on which the proxy should listen for incoming connections.");
        d.put(new Field(server, "hosts"), "One or more hosts exposed by this gateway, each optionally prefixed by the "
                + "namespace whose VirtualServices may bind to it (ns/host, ./host, */host).");
        d.put(new Field(server, "tls"), "Set of TLS related options that govern the server's behavior.");
        d.put(new Field(server, "name"), "An optional name of the server; Windlass uses it as the stat prefix of an HTTPS server.");
        Class<?> port = GatewaySpec.Port.class;
        d.put(new Field(port, "number"), "A valid non-negative integer port number.");
        d.put(new Field(port, "protocol"), "The protocol exposed on the port: HTTP, HTTPS, GRPC, HTTP2, TCP, TLS (MONGO, MYSQL "
                + "and REDIS as TCP).");
        d.put(new Field(port, "name"), "Label assigned to the port.");
        d.put(new Field(port, "targetPort"), "Deprecated; refused for Gateways (it has no impact).");
        Class<?> tls = GatewaySpec.ServerTls.class;
        d.put(new Field(tls, "httpsRedirect"), "If set to true, the load balancer will send a 301 redirect for all http "
                + "connections, asking the clients to use HTTPS.");
        d.put(new Field(tls, "credentialName"), "The name of the Secret (in the gateway's namespace) that holds the TLS "
                + "certificate: tls.crt, tls.key and, for MUTUAL, ca.crt (or the Secret <name>-cacert).");
        d.put(new Field(tls, "serverCertificate"), "REQUIRED if mode is SIMPLE or MUTUAL and credentialName is not set: "
                + "the path to the file holding the server-side TLS certificate.");
        d.put(new Field(tls, "privateKey"), "REQUIRED if mode is SIMPLE or MUTUAL and credentialName is not set: the path "
                + "to the file holding the server's private key.");
        d.put(new Field(tls, "caCertificates"), "REQUIRED if mode is MUTUAL and credentialName is not set: the path to a "
                + "file containing certificate authority certificates to use in verifying a presented client side certificate.");
        d.put(new Field(tls, "subjectAltNames"), "A list of alternate names to verify the subject identity in the "
                + "certificate presented by the client (MUTUAL).");
        d.put(new Field(tls, "cipherSuites"), "Optional: If specified, only support the specified cipher list (OpenSSL names).");
    }

    private static JSONSchemaProps open(String description) {
        return new JSONSchemaPropsBuilder().withType("object").withDescription(description)
                .withXKubernetesPreserveUnknownFields(true).build();
    }

    private static JSONSchemaProps object(Map<String, JSONSchemaProps> properties) {
        return new JSONSchemaPropsBuilder().withType("object").withProperties(properties).build();
    }

    private static JSONSchemaProps array(JSONSchemaProps items) {
        return new JSONSchemaPropsBuilder().withType("array").withItems(new JSONSchemaPropsOrArray(null, items)).build();
    }

    private static JSONSchemaProps string(String description) {
        return new JSONSchemaPropsBuilder().withType("string").withDescription(description).build();
    }

    private static JSONSchemaProps dateTime() {
        return new JSONSchemaPropsBuilder().withType("string").withFormat("date-time").build();
    }

    /** Istio writes observedGeneration as an int64 that some clients read back as a string. */
    private static JSONSchemaProps intOrString() {
        return new JSONSchemaPropsBuilder().withXKubernetesIntOrString(true).withAnyOf(
                new JSONSchemaPropsBuilder().withType("integer").build(),
                new JSONSchemaPropsBuilder().withType("string").build()).build();
    }

    private static JSONSchemaProps described(JSONSchemaProps schema, String description) {
        return new JSONSchemaPropsBuilder(schema).withDescription(description).build();
    }

    private static List<JsonNode> texts(List<String> values) {
        return values.stream().map(v -> (JsonNode) TextNode.valueOf(v)).toList();
    }
}
