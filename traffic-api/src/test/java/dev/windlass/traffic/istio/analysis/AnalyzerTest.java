package dev.windlass.traffic.istio.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Each analysis code from small inputs: Bookinfo's reviews Service (port 9080, pods v1 and v2) plus what a case adds. */
class AnalyzerTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String REGISTRY = """
            apiVersion: v1
            kind: Service
            metadata: {name: reviews}
            spec: {selector: {app: reviews}, ports: [{name: http, port: 9080}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: ratings, namespace: other}
            spec: {selector: {app: ratings}, ports: [{name: http, port: 9080}, {name: grpc, port: 9090}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: reviews-v1, labels: {app: reviews, version: v1}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: reviews-v2, labels: {app: reviews, version: v2}}
            """;

    @Test
    void aDestinationThatIsNoServiceIsReferencedHostNotFound() throws IOException {
        assertThat(lines("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - route: [{destination: {host: reviewz}}]
                    mirror: {host: shadow}
                """)).containsExactly(
                "Error [IST0101] (VirtualService default/reviews) Referenced host not found: \"reviewz\"",
                "Error [IST0101] (VirtualService default/reviews) Referenced mirror host not found: \"shadow\"");
    }

    @Test
    void serviceEntryHostsAreRegisteredHostsExactAndWildcardWithTheirPorts() throws IOException {
        assertThat(lines("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: httpbin}
                spec:
                  hosts: [httpbin.org, "*.example.com"]
                  ports: [{number: 80, name: http, protocol: HTTP}]
                  resolution: NONE
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: httpbin}
                spec:
                  hosts: [httpbin.org]
                  http:
                  - route:
                    - {destination: {host: httpbin.org}, weight: 50}
                    - {destination: {host: api.example.com, port: {number: 80}}, weight: 40}
                    - {destination: {host: httpbin.org, port: {number: 8080}}, weight: 10}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: httpbin}
                spec:
                  host: httpbin.org
                  subsets: [{name: eu, labels: {region: eu}}]
                """)).containsExactly(
                "Error [IST0101] (VirtualService default/httpbin) Referenced host:port not found: \"httpbin.org:8080\"");
    }

    @Test
    void aPortTheServiceDoesNotHaveAndAMissingPortOfAMultiPortServiceAreReported() throws IOException {
        assertThat(lines("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - {destination: {host: reviews, port: {number: 9999}}, weight: 50}
                    - {destination: {host: ratings.other.svc.cluster.local}, weight: 50}
                  tcp:
                  - route: [{destination: {host: ratings.other.svc.cluster.local, port: {number: 9090}}}]
                """)).containsExactly(
                "Error [IST0101] (VirtualService default/reviews) Referenced host:port not found: \"reviews:9999\"",
                "Error [IST0112] (VirtualService default/reviews) This VirtualService routes to a service "
                        + "\"ratings.other.svc.cluster.local\" that exposes multiple ports [9080 9090]. Specifying a port "
                        + "in the destination is required to disambiguate.");
    }

    @Test
    void aSubsetNoVisibleDestinationRuleDefinesIsReferencedHostPlusSubsetNotFound() throws IOException {
        String vs = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - route: [{destination: {host: reviews, subset: v2}}]
                    mirror: {host: reviews, subset: v1}
                """;
        assertThat(lines(vs)).containsExactly(
                "Error [IST0101] (VirtualService default/reviews) Referenced host+subset in destinationrule not found: \"reviews+v2\"",
                "Error [IST0101] (VirtualService default/reviews) Referenced mirror+subset in destinationrule not found: \"reviews+v1\"");
        String drHere = """
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews}
                spec:
                  host: reviews
                  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
                """;
        assertThat(lines(vs + drHere)).isEmpty();
        String wildcardInRoot = """
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: all, namespace: windlass-system}
                spec:
                  host: "*.default.svc.cluster.local"
                  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
                """;
        assertThat(lines(vs + wildcardInRoot)).isEmpty();
        String onlyForItsNamespace = """
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews, namespace: elsewhere}
                spec:
                  host: reviews.default.svc.cluster.local
                  exportTo: ["."]
                  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
                """;
        assertThat(lines(vs + onlyForItsNamespace)).contains(
                "Error [IST0101] (VirtualService default/reviews) Referenced host+subset in destinationrule not found: \"reviews+v2\"");
    }

    @Test
    void virtualServicesOfTheMeshWithTheSameHostConflict() throws IOException {
        String two = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: a}
                spec: {hosts: [reviews], http: [{route: [{destination: {host: reviews}}]}]}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: b}
                spec: {hosts: [reviews.default.svc.cluster.local], http: [{route: [{destination: {host: reviews}}]}]}
                """;
        String message = "The VirtualServices default/a,default/b associated with mesh gateway define the same host "
                + "*/reviews.default.svc.cluster.local which can lead to undefined behavior. This can be fixed by merging "
                + "the conflicting VirtualServices into a single resource.";
        assertThat(lines(two)).containsExactly(
                "Error [IST0109] (VirtualService default/a) " + message,
                "Error [IST0109] (VirtualService default/b) " + message);
        String exportedApart = two.replace("spec: {hosts: [reviews],", "spec: {exportTo: [frontend], hosts: [reviews],")
                .replace("spec: {hosts: [reviews.default", "spec: {exportTo: [backend], hosts: [reviews.default");
        assertThat(lines(exportedApart)).isEmpty();
        String oneScoped = two.replace("spec: {hosts: [reviews],", "spec: {exportTo: [\".\"], hosts: [reviews],");
        assertThat(lines(oneScoped)).hasSize(2).allMatch(l -> l.contains("define the same host default/reviews.default.svc.cluster.local"));
    }

    @Test
    void subsetsThatSelectNoPodAndRulesForNoServiceAreReported() throws IOException {
        assertThat(lines("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews}
                spec:
                  host: reviews
                  subsets: [{name: v1, labels: {version: v1}}, {name: v3, labels: {version: v3}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: ghost}
                spec: {host: ghost.example.com}
                """)).containsExactly(
                "Error [IST0173] (DestinationRule default/reviews) The Subset v3 defined in the DestinationRule does not "
                        + "select any pods. Which may lead to 503 UH (NoHealthyUpstream).",
                "Warning [IST0174] (DestinationRule default/ghost) The host ghost.example.com defined in the "
                        + "DestinationRule does not match any services in the mesh.");
    }

    @Test
    void aRejectedResourceGetsOneSchemaValidationErrorPerError() throws IOException {
        assertThat(lines("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: bad}
                spec:
                  hosts: [reviews]
                  http: [{route: [{destination: {host: reviews}}], timeout: 10, retries: {attempts: -1}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: odd}
                spec: {host: reviews, trafficPolicy: {tls: {mode: SIMPLE, credentialName: reviews-ca}}}
                """)).containsExactly(
                "Error [IST0106] (DestinationRule default/odd) Schema validation error: not supported by Windlass: spec.trafficPolicy.tls.credentialName (with mode SIMPLE (a CA from a Secret); use caCertificates)",
                "Error [IST0106] (VirtualService default/bad) Schema validation error: spec.http[0].retries.attempts: attempts cannot be negative",
                "Error [IST0106] (VirtualService default/bad) Schema validation error: spec.http[0].timeout: invalid duration \"10\" (use e.g. 10s, 0.5s, 100ms, 1m)");
    }

    @Test
    void rulesAfterACatchAllAndDuplicateMatchesAreUnreachable() throws IOException {
        assertThat(lines("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - name: jason
                    match: [{name: user, headers: {end-user: {exact: jason}}}]
                    route: [{destination: {host: reviews}}]
                  - match: [{headers: {end-user: {exact: jason}}}, {uri: {prefix: /v2}}]
                    route: [{destination: {host: reviews}}]
                  - match: [{headers: {end-user: {exact: jason}}}]
                    route: [{destination: {host: reviews}}]
                  - route: [{destination: {host: reviews}}]
                  - route: [{destination: {host: reviews}}]
                """)).containsExactly(
                "Warning [IST0130] (VirtualService default/reviews) VirtualService rule #2 not used (all matches used by prior rules).",
                "Warning [IST0130] (VirtualService default/reviews) VirtualService rule #4 not used (only the last rule can have no matches).",
                "Info [IST0131] (VirtualService default/reviews) VirtualService rule #1 match #0 is not used (duplicate/overlapping match in rule \"jason\").",
                "Info [IST0131] (VirtualService default/reviews) VirtualService rule #2 match #0 is not used (duplicate/overlapping match in rule \"jason\").");
        assertThat(lines("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: tcp}
                spec:
                  hosts: [reviews]
                  tcp:
                  - route: [{destination: {host: reviews}}]
                  - match: [{port: 9080}]
                    route: [{destination: {host: reviews}}]
                """)).containsExactly(
                "Warning [IST0130] (VirtualService default/tcp) VirtualService rule #1 not used (route without matches defined before).");
    }

    @Test
    void findingsOfFileResourcesPointAtTheLineOfTheirField() throws IOException {
        AnalysisInputBuilder builder = registry();
        builder.add(YAML.readTree("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec: {hosts: [reviews], http: [{route: [{destination: {host: reviews, subset: v9}}]}]}
                """), "default", new AnalysisInput.Source("vs.yaml", 5, Map.of("spec.http[0].route[0].destination", 9)));
        assertThat(Analyzer.analyze(builder.build())).singleElement().satisfies(f -> {
            assertThat(f.logLine()).isEqualTo("Error [IST0101] (VirtualService default/reviews vs.yaml:9) "
                    + "Referenced host+subset in destinationrule not found: \"reviews+v9\"");
            assertThat(f.level()).isEqualTo(Level.ERROR);
            assertThat(f.code().documentationUrl("status-controller"))
                    .isEqualTo("https://istio.io/latest/docs/reference/config/analysis/ist0101/?ref=status-controller");
        });
        assertThat(new AnalysisInput.Source("f.yaml", 3, Map.of()).origin("spec.hosts[0]")).isEqualTo("f.yaml:3");
    }

    @Test
    void aLaterObjectReplacesTheOneWithTheSameName() throws IOException {
        AnalysisInputBuilder builder = registry();
        JsonNode broken = YAML.readTree("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec: {hosts: [reviews], http: [{route: [{destination: {host: nowhere}}]}]}
                """);
        builder.add(broken, "default", null);
        builder.add(YAML.readTree(broken.toString().replace("nowhere", "reviews")), "default", null);
        assertThat(Analyzer.analyze(builder.build())).isEmpty();
        assertThat(Level.ERROR.reaches(Level.WARNING)).isTrue();
        assertThat(Level.INFO.reaches(Level.WARNING)).isFalse();
        assertThat(Level.parse("warning")).contains(Level.WARNING);
    }

    @Test
    void aVirtualServiceBoundToAMissingGatewayIsReferencedGatewayNotFound() throws IOException {
        assertThat(lines("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: ["*"]
                  gateways: [ghost-gateway]
                  http:
                  - route: [{destination: {host: reviews}}]
                """)).containsExactly(
                "Error [IST0101] (VirtualService default/reviews) Referenced gateway not found: \"ghost-gateway\"",
                "Warning [IST0132] (VirtualService default/reviews) one or more host [*] defined in VirtualService "
                        + "default/reviews not found in Gateway default/ghost-gateway.");
    }

    @Test
    void aGatewayWhoseSelectorMatchesNoPodIsReferencedSelectorNotFound() throws IOException {
        assertThat(lines("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: reviews-gateway, namespace: edge}
                spec:
                  selector: {istio: ingressgateway, app: gw}
                  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*/reviews.example.com"]}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews.example.com]
                  gateways: [edge/reviews-gateway, mesh]
                  http:
                  - route: [{destination: {host: reviews}}]
                """)).containsExactly(
                "Error [IST0101] (Gateway edge/reviews-gateway) Referenced selector not found: \"app=gw,istio=ingressgateway\"");
    }

    @Test
    void aGatewayHostForAnotherNamespaceDoesNotExposeTheVirtualServicesHost() throws IOException {
        assertThat(lines("""
                apiVersion: v1
                kind: Pod
                metadata: {name: gw-0, namespace: edge, labels: {istio: ingressgateway}}
                ---
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: gw, namespace: edge}
                spec:
                  selector: {istio: ingressgateway}
                  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["./reviews.example.com"]}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews.example.com]
                  gateways: [edge/gw]
                  http:
                  - route: [{destination: {host: reviews}}]
                """)).containsExactly("Warning [IST0132] (VirtualService default/reviews) one or more host "
                + "[reviews.example.com] defined in VirtualService default/reviews not found in Gateway edge/gw.");
    }

    private static List<String> lines(String yaml) throws IOException {
        AnalysisInputBuilder builder = registry();
        for (JsonNode doc : documents(yaml)) {
            builder.add(doc, "default", null);
        }
        return Analyzer.analyze(builder.build()).stream().map(Finding::logLine).toList();
    }

    private static AnalysisInputBuilder registry() throws IOException {
        AnalysisInputBuilder builder = new AnalysisInputBuilder();
        documents(REGISTRY).forEach(doc -> builder.add(doc, "default", null));
        return builder;
    }

    private static List<JsonNode> documents(String yaml) throws IOException {
        try (var it = YAML.readerFor(JsonNode.class).readValues(new YAMLFactory().createParser(yaml))) {
            return it.readAll().stream().map(JsonNode.class::cast).filter(n -> n != null && !n.isEmpty()).toList();
        }
    }
}
