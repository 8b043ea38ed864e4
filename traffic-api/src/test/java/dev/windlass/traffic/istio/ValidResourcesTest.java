package dev.windlass.traffic.istio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windlass.traffic.istio.validation.IstioValidation;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What must be accepted: the Istio tasks' YAML as users write it, and the value syntaxes Istio accepts. */
class ValidResourcesTest {
    @Test
    void theBookinfoTasksResourcesAreAccepted() throws IOException {
        for (JsonNode doc : IstioTestResources.bookinfoTasks()) {
            IstioKind kind = IstioKind.ofKind(doc.get("kind").asText()).orElseThrow();
            assertThat(IstioValidation.errors(kind, doc.get("spec"))).as(doc.at("/metadata/name").asText()).isEmpty();
        }
    }

    /** Istio's PeerAuthentication reference and mTLS tasks: mesh, namespace, workload and port-level policies. */
    @Test
    void theIstioPeerAuthenticationExamplesAreAccepted() throws Exception {
        String examples = """
                spec: {mtls: {mode: STRICT}}
                ---
                spec: {mtls: {mode: PERMISSIVE}}
                ---
                spec: {}
                ---
                spec: {selector: {matchLabels: {app: finance}}, mtls: {mode: STRICT}, portLevelMtls: {"8080": {mode: DISABLE}}}
                ---
                spec: {selector: {matchLabels: {app: example-app}}, portLevelMtls: {"80": {mode: DISABLE}}}
                """;
        for (JsonNode doc : IstioTestResources.documents(new java.io.ByteArrayInputStream(examples.getBytes()))) {
            assertThat(IstioValidation.errors(IstioKind.PEER_AUTHENTICATION, doc.get("spec"))).as(doc.toString()).isEmpty();
        }
        PeerAuthenticationSpec workload = (PeerAuthenticationSpec) IstioValidation.parseAndValidate(IstioKind.PEER_AUTHENTICATION,
                IstioTestResources.documents(new java.io.ByteArrayInputStream(examples.getBytes())).get(3).get("spec"));
        assertThat(workload.selectsWorkloads()).isTrue();
        assertThat(workload.mode()).isEqualTo(PeerAuthenticationSpec.STRICT);
        assertThat(workload.portLevelMtls().get("8080").mode()).isEqualTo(PeerAuthenticationSpec.DISABLE);
    }

    /** Istio's JWT authentication task and RequestAuthentication reference: keys inline, by jwksUri, or the issuer's. */
    @Test
    void theIstioJwtTaskResourcesAreAccepted() throws Exception {
        String jwks = "'{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"alg\":\"RS256\",\"n\":\"xAE7\",\"e\":\"AQAB\"},"
                + "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}]}'";
        String authentications = """
                spec: {selector: {matchLabels: {istio: ingressgateway}}, jwtRules: [{issuer: "testing@secure.istio.io", jwks: JWKS}]}
                ---
                spec:
                  jwtRules:
                  - issuer: "issuer-foo"
                    audiences: [bookstore_android.apps.example.com]
                    jwks: JWKS
                    fromHeaders: [{name: x-jwt-assertion, prefix: "Bearer "}]
                    fromParams: [my_token]
                    outputPayloadToHeader: x-jwt-payload
                    forwardOriginalToken: true
                    outputClaimToHeaders: [{header: x-jwt-claim-foo, claim: foo}]
                ---
                spec:
                  selector: {matchLabels: {app: httpbin}}
                  jwtRules:
                  - issuer: "testing@secure.istio.io"
                    jwksUri: "https://raw.githubusercontent.com/istio/istio/release-1.24/security/tools/jwt/samples/jwks.json"
                ---
                spec: {jwtRules: [{issuer: "https://accounts.example.com"}]}
                ---
                spec: {jwtRules: [{issuer: "both", jwksUri: "HTTP://keys.example.com:8080/jwks", jwks: JWKS}]}
                """.replace("JWKS", jwks);
        for (JsonNode doc : IstioTestResources.documents(new java.io.ByteArrayInputStream(authentications.getBytes()))) {
            assertThat(IstioValidation.errors(IstioKind.REQUEST_AUTHENTICATION, doc.get("spec"))).as(doc.toString()).isEmpty();
        }
        String policies = """
                spec:
                  selector: {matchLabels: {istio: ingressgateway}}
                  action: DENY
                  rules: [{from: [{source: {notRequestPrincipals: ["*"]}}]}]
                ---
                spec:
                  rules:
                  - from: [{source: {requestPrincipals: ["testing@secure.istio.io/testing@secure.istio.io"]}}]
                    when: [{key: "request.auth.claims[groups]", values: [group1]}, {key: request.auth.audiences, values: [a]},
                           {key: request.auth.presenter, values: [p]}, {key: request.auth.principal, values: ["*"]},
                           {key: "request.auth.claims[nested][key1]", values: [v]}]
                """;
        for (JsonNode doc : IstioTestResources.documents(new java.io.ByteArrayInputStream(policies.getBytes()))) {
            assertThat(IstioValidation.errors(IstioKind.AUTHORIZATION_POLICY, doc.get("spec"))).as(doc.toString()).isEmpty();
        }
    }

    /** Istio's authorization tasks (HTTP, TCP, deny): each of their policies is accepted. */
    @Test
    void theIstioAuthorizationTaskPoliciesAreAccepted() throws Exception {
        String examples = """
                spec: {}
                ---
                spec: {selector: {matchLabels: {app: productpage}}, action: ALLOW, rules: [{to: [{operation: {methods: [GET]}}]}]}
                ---
                spec:
                  selector: {matchLabels: {app: details}}
                  action: ALLOW
                  rules:
                  - from: [{source: {principals: [cluster.local/ns/default/sa/bookinfo-productpage]}}]
                    to: [{operation: {methods: [GET]}}]
                ---
                spec:
                  selector: {matchLabels: {app: tcp-echo}}
                  action: DENY
                  rules: [{to: [{operation: {methods: [GET], ports: ["9000"]}}]}]
                ---
                spec:
                  action: DENY
                  rules:
                  - from: [{source: {notNamespaces: [foo], ipBlocks: [10.0.0.0/8]}}]
                    to: [{operation: {paths: [/admin*], notHosts: ["*.example.com"]}}]
                    when: [{key: "request.headers[x-token]", notValues: [admin]}, {key: source.ip, values: [10.1.2.3]}]
                """;
        for (JsonNode doc : IstioTestResources.documents(new java.io.ByteArrayInputStream(examples.getBytes()))) {
            assertThat(IstioValidation.errors(IstioKind.AUTHORIZATION_POLICY, doc.get("spec"))).as(doc.toString()).isEmpty();
        }
    }

    @Test
    void theSeedScenariosForTheMeshAreAccepted() throws IOException {
        Path seeds = Path.of("../samples/istio-seeds");
        for (String file : List.of("web-svc-80-20.yaml", "ratings-delay-jason.yaml", "ratings-abort-jason.yaml",
                "ratings-delay-2s.yaml", "reviews-timeout.yaml", "httpbin-v1.yaml", "httpbin-mirror.yaml")) {
            Path path = seeds.resolve(file);
            for (JsonNode doc : IstioTestResources.documents(Files.newInputStream(path))) {
                IstioKind kind = IstioKind.ofKind(doc.get("kind").asText()).orElseThrow();
                assertThat(IstioValidation.errors(kind, doc.get("spec"))).as(file).isEmpty();
            }
        }
    }

    @Test
    void theSeedScenariosThroughGatewaysAreAccepted() throws IOException {
        Path seeds = Path.of("../samples/istio-seeds");
        int gateways = 0;
        for (String file : List.of("app-gateway.yaml", "my-gateway.yaml", "tcp-echo-80-20.yaml")) {
            for (JsonNode doc : IstioTestResources.documents(Files.newInputStream(seeds.resolve(file)))) {
                IstioKind kind = IstioKind.ofKind(doc.get("kind").asText()).orElseThrow();
                gateways += kind == IstioKind.GATEWAY ? 1 : 0;
                assertThat(IstioValidation.errors(kind, doc.at("/metadata/name").asText(), doc.get("spec")))
                        .as(file + " " + doc.at("/metadata/name").asText()).isEmpty();
            }
        }
        assertThat(gateways).isEqualTo(3);
    }

    @Test
    void theConnectionPoolFieldsWindlassEnforcesAreAcceptedAtDestinationAndSubsetLevel() {
        String pool = "{\"tcp\": {\"maxConnections\": 1, \"connectTimeout\": \"250ms\"}, \"http\": {"
                + "\"http1MaxPendingRequests\": 1, \"http2MaxRequests\": 10, \"maxRequestsPerConnection\": 1, "
                + "\"maxRetries\": 3, \"idleTimeout\": \"30s\"}}";
        assertThat(policyErrors("connectionPool", pool, "{\"tcp\": {\"maxConnections\": 5}}")).isEmpty();
    }

    @Test
    void h2UpgradeAndMaxConcurrentStreamsAreAcceptedAtDestinationAndSubsetLevel() {
        for (String policy : List.of("UPGRADE", "DO_NOT_UPGRADE", "DEFAULT")) {
            assertThat(policyErrors("connectionPool", "{\"http\": {\"h2UpgradePolicy\": \"" + policy + "\", "
                    + "\"maxConcurrentStreams\": 1}}", "{\"http\": {\"h2UpgradePolicy\": \"" + policy + "\", "
                    + "\"maxConcurrentStreams\": 0}}")).as(policy).isEmpty();
        }
    }

    @Test
    void warmupIsAcceptedWithRoundRobinLeastRequestOrNoSimplePolicy() {
        assertThat(policyErrors("loadBalancer", "{\"simple\": \"ROUND_ROBIN\", \"warmupDurationSecs\": \"60s\"}",
                "{\"simple\": \"LEAST_REQUEST\", \"warmupDurationSecs\": \"1500ms\"}")).isEmpty();
        assertThat(policyErrors("loadBalancer", "{\"simple\": \"LEAST_CONN\", \"warmupDurationSecs\": \"1m\"}",
                "{\"simple\": \"UNSPECIFIED\", \"warmupDurationSecs\": \"2s\"}")).isEmpty();
        JsonNode spec = json("{\"host\": \"httpbin\", \"trafficPolicy\": {\"loadBalancer\": {\"localityLbSetting\": "
                + "{\"enabled\": false}, \"warmupDurationSecs\": \"10s\"}}}");
        assertThat(IstioValidation.errors(IstioKind.DESTINATION_RULE, spec)).isEmpty();
    }

    @Test
    void tcpKeepaliveAndMaxConnectionDurationAreAcceptedAtDestinationAndSubsetLevel() {
        assertThat(policyErrors("connectionPool", "{\"tcp\": {\"tcpKeepalive\": {\"probes\": 3, \"time\": \"7200s\", "
                + "\"interval\": \"75s\"}, \"maxConnectionDuration\": \"1h\"}}",
                "{\"tcp\": {\"tcpKeepalive\": {}, \"maxConnectionDuration\": \"250ms\"}}")).isEmpty();
    }

    /** Per-port load balancing, connection pool and outlier detection, at destination and subset level. */
    @Test
    void portLevelSettingsWithEveryPolicyAreAcceptedAtDestinationAndSubsetLevel() {
        String ports = "{\"portLevelSettings\": [{\"port\": {\"number\": 8000}, \"loadBalancer\": {\"simple\": \"RANDOM\"}, "
                + "\"connectionPool\": {\"tcp\": {\"maxConnections\": 1, \"tcpKeepalive\": {\"time\": \"60s\"}}, "
                + "\"http\": {\"http1MaxPendingRequests\": 1}}, \"outlierDetection\": {\"consecutive5xxErrors\": 1}}, "
                + "{\"port\": {\"number\": 9000}, \"outlierDetection\": {\"consecutiveGatewayErrors\": 2}}]}";
        JsonNode spec = json("{\"host\": \"httpbin\", \"trafficPolicy\": " + ports + ", \"subsets\": [{\"name\": \"v1\", "
                + "\"labels\": {\"version\": \"v1\"}, \"trafficPolicy\": " + ports + "}]}");
        assertThat(IstioValidation.errors(IstioKind.DESTINATION_RULE, spec)).isEmpty();
    }

    @Test
    void everyOutlierDetectionFieldIsAcceptedAtDestinationAndSubsetLevel() {
        String outlier = "{\"consecutive5xxErrors\": 0, \"consecutiveGatewayErrors\": 2, \"consecutiveLocalOriginFailures\": 3, "
                + "\"splitExternalLocalOriginErrors\": true, \"interval\": \"500ms\", \"baseEjectionTime\": \"3m\", "
                + "\"maxEjectionPercent\": 100, \"minHealthPercent\": 0}";
        assertThat(policyErrors("outlierDetection", outlier, "{\"consecutive5xxErrors\": 7}")).isEmpty();
    }

    @Test
    void consistentHashByHeaderIsAcceptedWithItsRingSizeAtDestinationAndSubsetLevel() {
        assertThat(policyErrors("loadBalancer", "{\"consistentHash\": {\"httpHeaderName\": \"x-user\", "
                + "\"ringHash\": {\"minimumRingSize\": 64}}}", "{\"consistentHash\": {\"httpHeaderName\": \"x-user\", "
                + "\"minimumRingSize\": 128}}")).isEmpty();
    }

    /** Istio's locality tasks' settings: failover (with simple), distribute with wildcards, enabled alone. */
    @Test
    void localityLbSettingsAsTheIstioTasksWriteThemAreAccepted() {
        for (String lb : List.of(
                "{\"simple\": \"ROUND_ROBIN\", \"localityLbSetting\": {\"enabled\": true, "
                        + "\"failover\": [{\"from\": \"region1\", \"to\": \"region2\"}]}}",
                "{\"localityLbSetting\": {\"enabled\": true, \"distribute\": [{\"from\": \"region1/zone1/*\", "
                        + "\"to\": {\"region1/zone1/*\": 70, \"region1/zone2/*\": 20, \"region3/zone4/*\": 10}}, "
                        + "{\"from\": \"region2/*\", \"to\": {\"*\": 100}}]}}",
                "{\"localityLbSetting\": {\"enabled\": false}}")) {
            JsonNode spec = json("{\"host\": \"helloworld\", \"trafficPolicy\": {\"loadBalancer\": " + lb + ", "
                    + "\"outlierDetection\": {\"consecutive5xxErrors\": 1, \"interval\": \"1s\"}}}");
            assertThat(IstioValidation.errors(IstioKind.DESTINATION_RULE, spec)).as(lb).isEmpty();
        }
    }

    @Test
    void everyConsistentHashKeyIsAcceptedWithRingOrMaglev() {
        assertThat(policyErrors("loadBalancer", "{\"consistentHash\": {\"httpCookie\": {\"name\": \"user\", "
                + "\"path\": \"/\", \"ttl\": \"0s\"}, \"maglev\": {\"tableSize\": 65537}}}",
                "{\"consistentHash\": {\"useSourceIp\": true, \"maglev\": {}}}")).isEmpty();
        assertThat(policyErrors("loadBalancer", "{\"consistentHash\": {\"httpQueryParameterName\": \"user\"}}",
                "{\"consistentHash\": {\"httpCookie\": {\"name\": \"s\", \"ttl\": \"1h\"}, \"maglev\": {\"tableSize\": 251}}}"))
                .isEmpty();
    }

    /** Istio's egress TLS origination task, as written: SIMPLE on port 80 of the external host, nothing else. */
    @Test
    void tlsOriginationAsIstiosEgressTaskWritesItIsAccepted() {
        JsonNode task = json("{\"host\": \"edition.cnn.com\", \"trafficPolicy\": {\"portLevelSettings\": ["
                + "{\"port\": {\"number\": 80}, \"tls\": {\"mode\": \"SIMPLE\"}}]}}");
        assertThat(IstioValidation.errors(IstioKind.DESTINATION_RULE, task)).isEmpty();
        assertThat(policyErrors("tls", "{\"mode\": \"SIMPLE\", \"sni\": \"api.example.com\", "
                        + "\"caCertificates\": \"/etc/certs/ca.pem\", \"subjectAltNames\": [\"api.example.com\"]}",
                "{\"mode\": \"SIMPLE\", \"insecureSkipVerify\": true}")).isEmpty();
        assertThat(policyErrors("tls", "{\"mode\": \"DISABLE\"}", "{}")).as("DISABLE, and the default mode").isEmpty();
    }

    /**
     * Istio's MUTUAL origination: a client certificate and key mounted in the proxy, or (the egress gateway task with
     * mutual TLS) a Secret in the gateway's namespace.
     */
    @Test
    void mutualTlsOriginationTakesFilesOrASecret() {
        assertThat(policyErrors("tls", "{\"mode\": \"MUTUAL\", \"clientCertificate\": \"/etc/certs/client.pem\", "
                        + "\"privateKey\": \"/etc/certs/key.pem\", \"caCertificates\": \"/etc/certs/ca.pem\", \"sni\": \"db.example.com\"}",
                "{\"mode\": \"MUTUAL\", \"credentialName\": \"client-credential\", \"sni\": \"my-nginx.mesh-external.svc.cluster.local\"}"))
                .isEmpty();
    }

    /** The errors of a DestinationRule with {@code field} set at destination level and in subset v1. */
    private static List<FieldError> policyErrors(String field, String destination, String subset) {
        JsonNode spec = json("{\"host\": \"httpbin\", \"trafficPolicy\": {\"" + field + "\": " + destination + "}, "
                + "\"subsets\": [{\"name\": \"v1\", \"labels\": {\"version\": \"v1\"}, "
                + "\"trafficPolicy\": {\"" + field + "\": " + subset + "}}]}");
        return IstioValidation.errors(IstioKind.DESTINATION_RULE, spec);
    }

    /** The seed's circuit breaker (connection pool and outlier detection) is valid as it stands. */
    @Test
    void theSeedCircuitBreakerIsAccepted() throws IOException {
        Path seed = Path.of("../samples/istio-seeds/httpbin-circuit-breaker.yaml");
        JsonNode doc = IstioTestResources.documents(Files.newInputStream(seed)).getFirst();
        assertThat(IstioValidation.errors(IstioKind.DESTINATION_RULE, doc.get("spec"))).isEmpty();
    }

    @Test
    void gatewayServersTakeIstiosTlsForms() {
        for (String tls : List.of("{\"mode\": \"MUTUAL\", \"credentialName\": \"cert\", \"subjectAltNames\": [\"client.example.com\"]}",
                "{\"mode\": \"SIMPLE\", \"credentialName\": \"cert\", \"minProtocolVersion\": \"TLSV1_2\", \"maxProtocolVersion\": \"TLSV1_3\", \"cipherSuites\": [\"ECDHE-RSA-AES128-GCM-SHA256\"]}",
                "{\"mode\": \"MUTUAL\", \"serverCertificate\": \"/c/tls.crt\", \"privateKey\": \"/c/tls.key\", \"caCertificates\": \"/c/ca.crt\"}",
                "{\"mode\": \"PASSTHROUGH\"}", "{\"httpsRedirect\": true, \"mode\": \"SIMPLE\", \"credentialName\": \"cert\"}")) {
            JsonNode spec = json("{\"selector\": {\"istio\": \"ingressgateway\"}, \"servers\": [{\"port\": {\"number\": 443, "
                    + "\"name\": \"https\", \"protocol\": \"https\"}, \"hosts\": [\"./a.example.com\", \"*/b.example.com\", \"ns-1/*.c.example.com\"], "
                    + "\"tls\": " + tls + "}]}");
            assertThat(IstioValidation.errors(IstioKind.GATEWAY, "gw", spec)).as(tls).isEmpty();
        }
        assertThat(IstioValidation.errors(IstioKind.GATEWAY, "my.gateway", json("{\"servers\": [{\"port\": {\"number\": 80, "
                + "\"name\": \"http\", \"protocol\": \"HTTP\"}, \"hosts\": [\"*\"]}]}")))
                .extracting(FieldError::toString).containsExactly("metadata.name: invalid gateway name: \"my.gateway\"");
    }

    @Test
    void gatewayReferencesResolveAsIstioResolvesThem() {
        assertThat(GatewayRefs.resolve("mesh", "bookinfo")).isEqualTo("mesh");
        assertThat(GatewayRefs.resolve("bookinfo-gateway", "bookinfo")).isEqualTo("bookinfo/bookinfo-gateway");
        assertThat(GatewayRefs.resolve("istio-system/gw", "bookinfo")).isEqualTo("istio-system/gw");
        assertThat(GatewayRefs.resolve("gw.istio-system", "bookinfo")).isEqualTo("istio-system/gw");
        assertThat(GatewayRefs.resolve("gw.istio-system.svc.cluster.local", "bookinfo")).isEqualTo("istio-system/gw");
        VirtualServiceSpec none = new VirtualServiceSpec(List.of("a"), null, null, null, null, null);
        assertThat(GatewayRefs.bindings(none, "ns")).containsExactly("mesh");
    }

    @Test
    void gatewayHostsKeepTheirNamespaceOnlyWhereItNarrows() {
        List<String> normal = GatewayHosts.normalize(List.of("./a.example.com", "*/b.example.com", "other/c.example.com", "d.example.com"), "gw-ns");
        assertThat(normal).containsExactly("gw-ns/a.example.com", "b.example.com", "other/c.example.com", "d.example.com");
        assertThat(GatewayHosts.forNamespace(normal, "gw-ns")).containsExactly("a.example.com", "b.example.com", "d.example.com");
        assertThat(GatewayHosts.forNamespace(normal, "other")).containsExactly("b.example.com", "c.example.com", "d.example.com");
        assertThat(GatewayHosts.names(normal)).containsExactly("a.example.com", "b.example.com", "c.example.com", "d.example.com");
    }

    private static JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void durationsAreGoDurations() {
        assertThat(Durations.parse("0.5s")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("100ms")).isEqualTo(Duration.ofMillis(100));
        assertThat(Durations.parse("3m")).isEqualTo(Duration.ofMinutes(3));
        assertThat(Durations.parse("24h")).isEqualTo(Duration.ofHours(24));
        assertThatThrownBy(() -> Durations.parse("10")).hasMessageContaining("invalid duration");
        assertThatThrownBy(() -> Durations.parse("1s ")).hasMessageContaining("invalid duration");
    }

    @Test
    void shortNamesResolveAgainstTheNamespaceAndOthersStayAsWritten() {
        assertThat(Hosts.resolve("reviews", "bookinfo", "cluster.local")).isEqualTo("reviews.bookinfo.svc.cluster.local");
        assertThat(Hosts.resolve("reviews.bookinfo", "x", "cluster.local")).isEqualTo("reviews.bookinfo");
        assertThat(Hosts.resolve("*.example.com", "x", "cluster.local")).isEqualTo("*.example.com");
        assertThat(Hosts.resolve("*", "x", "cluster.local")).isEqualTo("*");
    }
}
