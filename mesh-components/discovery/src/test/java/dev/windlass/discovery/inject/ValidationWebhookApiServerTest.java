package dev.windlass.discovery.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.discovery.DiscoveryConfig;
import dev.windlass.discovery.ca.Pem;
import dev.windlass.discovery.metrics.Metrics;
import dev.windlass.injector.InjectorJson;
import dev.windlass.profiles.ProfileCatalog;
import dev.windlass.profiles.SetFlag;
import dev.windlass.profiles.ValuesLayer;
import dev.windlass.profiles.ValuesResolver;
import dev.windlass.profiles.render.MeshRenderer;
import dev.windlass.testsupport.ApiServer;
import dev.windlass.traffic.istio.IstioKind;
import dev.windlass.traffic.istio.IstioTestResources;
import dev.windlass.upgrade.VersionCatalog;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfigBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tier 2, against a real kube-apiserver: the rendered networking.istio.io CRDs and ValidatingWebhookConfiguration
 * (only its clientConfig pointed at this test's server, https://127.0.0.1:port/validate, and a namespace selector
 * added since the apiserver is shared), the discovery server's webhook writing its caBundle, and the apiserver
 * calling it for every create and update, as {@code kubectl apply} does.
 */
class ValidationWebhookApiServerTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /**
     * The cases of the table the apiserver's structural schema refuses before it calls any webhook, as it does
     * with Istio's own CRDs: a value of the wrong type, and values outside Istio's enums. The message still names
     * the field's path.
     */
    private static final Map<String, String> REFUSED_BY_THE_SCHEMA = Map.of(
            "weight of the wrong type", "spec.http[0].route[0].weight in body must be of type integer",
            "unknown load balancer", "spec.trafficPolicy.loadBalancer.simple: Unsupported value: \"FASTEST\"",
            "service entry unknown resolution", "spec.resolution: Unsupported value: \"MAGIC\"",
            "service entry unknown location", "spec.location: Unsupported value: \"MESH_NEARBY\"",
            "unknown TLS mode", "spec.servers[0].tls.mode: Unsupported value: \"STRICT\"",
            "tls unknown mode", "spec.trafficPolicy.tls.mode: Unsupported value: \"STRICT\"",
            "unknown h2UpgradePolicy", "spec.trafficPolicy.connectionPool.http.h2UpgradePolicy: Unsupported value: \"ALWAYS\"",
            "peer authentication with an unknown mode", "spec.mtls.mode: Unsupported value: \"STRICTEST\"");
    private static KubernetesClient kube;
    private static final Metrics METRICS = new Metrics();
    private static final List<String> NAMESPACES = new ArrayList<>();
    private static final List<String> CONFIGURATIONS = new ArrayList<>();
    private static InjectorWebhook webhook;
    private static String app;

    @BeforeAll
    static void setUp() throws Exception {
        kube = ApiServer.client();
        List<HasMetadata> rendered = render();
        List<CustomResourceDefinition> crds = rendered.stream().filter(CustomResourceDefinition.class::isInstance)
                .map(CustomResourceDefinition.class::cast).toList();
        assertThat(crds).extracting(c -> c.getSpec().getNames().getKind()).containsExactly("VirtualService",
                "DestinationRule", "Gateway", "ServiceEntry", "Sidecar", "PeerAuthentication", "AuthorizationPolicy",
                "RequestAuthentication");
        crds.forEach(ValidationWebhookApiServerTest::install);
        ValidatingWebhookConfiguration validator = rendered.stream().filter(ValidatingWebhookConfiguration.class::isInstance)
                .map(ValidatingWebhookConfiguration.class::cast).findFirst().orElseThrow();
        String mesh = namespace();
        app = namespace();
        DiscoveryConfig config = new DiscoveryConfig("127.0.0.1", 0, 0, 0, mesh, "", Duration.ofMillis(50),
                Duration.ofSeconds(2), 0, "", validator.getMetadata().getName());
        webhook = InjectorWebhook.start(kube, config, ns -> Optional.empty(), METRICS, List.of("127.0.0.1"));
        create(pointedAt(validator, "https://127.0.0.1:" + webhook.port() + "/validate", app, ""));
        await(() -> kube.resource(validator).get().getWebhooks().stream()
                .allMatch(w -> caBundle().equals(w.getClientConfig().getCaBundle())) ? true : null);
        // The apiserver picks up webhook configuration changes a moment later; until then calls fail TLS.
        await(() -> refusal(app, "v1", "VirtualService", "probe-" + UUID.randomUUID().toString().substring(0, 8),
                json("{\"hosts\": [\"reviews\"]}")).filter(m -> m.contains(ValidationHandler.INVALID)).orElse(null));
    }

    @AfterAll
    static void tearDown() {
        if (webhook != null) {
            webhook.close();
        }
        if (kube != null) {
            CONFIGURATIONS.forEach(name -> kube.admissionRegistration().v1().validatingWebhookConfigurations().withName(name).delete());
            NAMESPACES.forEach(ns -> kube.namespaces().withName(ns).delete());
            // The CRDs stay: other tests of this JVM's shared apiserver install the same ones and use them.
        }
    }

    @Test
    void everyCaseOfTheInvalidTableIsRefusedNamingItsField() throws Exception {
        List<JsonNode> cases = IstioTestResources.invalidResources();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(25);
        assertThat(cases).extracting(c -> c.get("name").asText()).containsAll(REFUSED_BY_THE_SCHEMA.keySet());
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            JsonNode c = cases.get(i);
            String name = c.get("name").asText();
            String expected = REFUSED_BY_THE_SCHEMA.getOrDefault(name, c.get("error").asText());
            String[] apiVersion = c.get("apiVersion").asText().split("/");
            Optional<String> refusal = refusal(app, apiVersion[1], c.get("kind").asText(), "case-" + i, c.get("spec"));
            if (refusal.isEmpty() || !refusal.get().contains(expected)) {
                wrong.add(name + ": expected a refusal containing [" + expected + "], got " + refusal.orElse("an accepted object"));
            }
        }
        assertThat(wrong).as("cases not refused as the table says").isEmpty();
    }

    @Test
    void theBookinfoTasksAreAcceptedInEveryVersionAndReadBackThroughV1() throws Exception {
        for (JsonNode doc : IstioTestResources.bookinfoTasks()) {
            String kind = doc.get("kind").asText();
            for (String version : IstioKind.ofKind(kind).orElseThrow().apiGroup().versions()) {
                String name = doc.at("/metadata/name").asText() + "-" + version;
                kube.genericKubernetesResources(context(kind, version)).inNamespace(app)
                        .resource(resource(version, kind, name, doc.get("spec"))).create();
                GenericKubernetesResource stored = kube.genericKubernetesResources(context(kind, "v1"))
                        .inNamespace(app).withName(name).get();
                assertThat(stored.getApiVersion()).isEqualTo(IstioKind.ofKind(kind).orElseThrow().apiVersion());
                JsonNode spec = InjectorJson.JSON.valueToTree(stored.getAdditionalProperties().get("spec"));
                assertThat(spec.equals(ValidationWebhookApiServerTest::sameValue, doc.get("spec")))
                        .as(kind + " " + name + " read back: " + spec).isTrue();
            }
        }
    }

    @Test
    void anUnknownFieldInsideTheSpecReachesTheWebhookAndIsRefusedByName() {
        // The strict parser stops at the first unknown field, so one per object.
        assertThat(refusal(app, "v1beta1", "VirtualService", "unknown-in-map", json("""
                {"hosts": ["reviews"], "http": [{"match": [{"headers": {"end-user": {"exact": "jason", "caseSensitive": true}}}],
                 "route": [{"destination": {"host": "reviews"}}]}]}"""))).hasValueSatisfying(m -> assertThat(m)
                .contains("not supported by Windlass: spec.http[0].match[0].headers.end-user.caseSensitive"));
        assertThat(refusal(app, "v1alpha3", "VirtualService", "unknown-deep", json("""
                {"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "colour": "blue"}}]}]}""")))
                .hasValueSatisfying(m -> assertThat(m).contains("not supported by Windlass: spec.http[0].route[0].destination.colour"));
        assertThat(refusal(app, "v1", "DestinationRule", "unknown-top", json("{\"host\": \"reviews\", \"workloadSelector\": {}}")))
                .hasValueSatisfying(m -> assertThat(m).contains("not supported by Windlass: spec.workloadSelector"));
    }

    @Test
    void aSidecarIsRefusedNotStoredAndIgnored() {
        assertThat(refusal(app, "v1beta1", "Sidecar", "default", json("""
                {"outboundTrafficPolicy": {"mode": "REGISTRY_ONLY"}, "egress": [{"hosts": ["./*"]}]}""")))
                .hasValueSatisfying(m -> assertThat(m).contains("not supported by Windlass yet: Sidecar"));
    }

    @Test
    void theSeedGatewaysAreAcceptedAndADottedGatewayNameRefused() throws Exception {
        for (String seed : List.of("app-gateway.yaml", "my-gateway.yaml", "tcp-echo-80-20.yaml")) {
            for (JsonNode doc : IstioTestResources.documents(java.nio.file.Files.newInputStream(
                    java.nio.file.Path.of("../../samples/istio-seeds").resolve(seed)))) {
                String[] apiVersion = doc.get("apiVersion").asText().split("/");
                assertThat(refusal(app, apiVersion[1], doc.get("kind").asText(), doc.at("/metadata/name").asText(), doc.get("spec")))
                        .as(seed + " " + doc.at("/metadata/name").asText()).isEmpty();
            }
        }
        assertThat(refusal(app, "v1", "Gateway", "my.gw", json("""
                {"servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}]}""")))
                .hasValueSatisfying(m -> assertThat(m).contains("metadata.name: invalid gateway name: \"my.gw\""));
    }

    @Test
    void serviceEntriesAreAcceptedOrRefusedNamingTheField() {
        assertThat(refusal(app, "v1alpha3", "ServiceEntry", "se", json("""
                {"hosts": ["example.com"], "ports": [{"number": 80, "name": "http", "protocol": "HTTP"}], "resolution": "DNS"}""")))
                .isEmpty();
        assertThat(refusal(app, "v1", "ServiceEntry", "se-selector", json("""
                {"hosts": ["vm.internal"], "resolution": "STATIC", "workloadSelector": {"labels": {"app": "vm"}}}""")))
                .hasValueSatisfying(m -> assertThat(m).contains("not supported by Windlass: spec.workloadSelector"));
    }

    @Test
    void aStatusUpdateIsNeverSentToTheWebhook() {
        var client = kube.genericKubernetesResources(context("VirtualService", "v1")).inNamespace(app);
        client.resource(resource("v1", "VirtualService", "with-status", json("""
                {"hosts": ["ratings"], "http": [{"route": [{"destination": {"host": "ratings"}}]}]}"""))).create();
        long calls = METRICS.validations("VirtualService", "allowed") + METRICS.validations("VirtualService", "refused");
        GenericKubernetesResource live = client.withName("with-status").get();
        live.setAdditionalProperty("status", Map.of("observedGeneration", 1,
                "conditions", List.of(Map.of("type", "Reconciled", "status", "True", "lastTransitionTime", "2026-01-01T00:00:00Z")),
                "validationMessages", List.of(Map.of("level", "WARNING", "documentationUrl", "https://istio.io/latest/docs/reference/config/analysis/ist0101/",
                        "type", Map.of("code", "IST0101", "name", "ReferencedResourceNotFound")))));
        client.resource(live).updateStatus();
        JsonNode stored = InjectorJson.JSON.valueToTree(client.withName("with-status").get().getAdditionalProperties().get("status"));
        assertThat(stored.at("/validationMessages/0/type/code").asText()).isEqualTo("IST0101");
        assertThat(METRICS.validations("VirtualService", "allowed") + METRICS.validations("VirtualService", "refused"))
                .as("webhook calls during the status update").isEqualTo(calls);
    }

    /**
     * With the webhook failing (failurePolicy Fail; here it answers 404), an update is refused; but an object being
     * deleted can still lose its finalizer (the match condition), so no namespace or CRD deletion can hang on a
     * webhook that is gone.
     */
    @Test
    void aFailingWebhookNeverBlocksTheEndOfADeletion() throws Exception {
        String gone = namespace();
        var client = kube.genericKubernetesResources(context("VirtualService", "v1")).inNamespace(gone);
        GenericKubernetesResource held = resource("v1", "VirtualService", "held", json("""
                {"hosts": ["ratings"], "http": [{"route": [{"destination": {"host": "ratings"}}]}]}"""));
        held.getMetadata().setFinalizers(List.of("test.windlass.dev/hold"));
        client.resource(held).create();
        ValidatingWebhookConfiguration rendered = render().stream().filter(ValidatingWebhookConfiguration.class::isInstance)
                .map(ValidatingWebhookConfiguration.class::cast).findFirst().orElseThrow();
        ValidatingWebhookConfiguration failing = pointedAt(rendered, "https://127.0.0.1:" + webhook.port() + "/gone", gone, "-failing");
        failing.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(caBundle()));
        create(failing);
        // Updates go through until the apiserver sees the configuration, then fail: a failed call takes the
        // apiserver's retries (about 20 s), so this is the only one.
        await(() -> refusalOf(() -> {
            GenericKubernetesResource live = client.withName("held").get();
            live.getMetadata().setLabels(Map.of("attempt", UUID.randomUUID().toString()));
            client.resource(live).update();
        }).filter(m -> m.contains("failed calling webhook")).orElse(null));

        client.withName("held").delete();
        GenericKubernetesResource deleting = client.withName("held").get();
        assertThat(deleting.getMetadata().getDeletionTimestamp()).isNotNull();
        deleting.getMetadata().setFinalizers(List.of());
        client.resource(deleting).update();
        await(() -> client.withName("held").get() == null ? true : null);
    }

    private static String caBundle() {
        return Base64.getEncoder().encodeToString(Pem.write(webhook.ca().certificate()).getBytes(StandardCharsets.UTF_8));
    }

    private static List<HasMetadata> render() {
        var values = new ValuesResolver(ProfileCatalog.builtIn(), VersionCatalog.builtIn()).resolve(
                new ValuesLayer("test", JsonNodeFactory.instance.objectNode()), List.of(SetFlag.parse("profile=minimal")),
                Optional.empty());
        return new MeshRenderer(VersionCatalog.builtIn()).render("windlass", values.spec(), "default", false);
    }

    /** The rendered configuration, calling {@code url} and only for objects in {@code namespace}. */
    private static ValidatingWebhookConfiguration pointedAt(ValidatingWebhookConfiguration rendered, String url,
                                                            String namespace, String nameSuffix) {
        ValidatingWebhookConfiguration copy = InjectorJson.JSON.convertValue(rendered, ValidatingWebhookConfiguration.class);
        copy.getMetadata().setName(rendered.getMetadata().getName() + nameSuffix);
        copy.getWebhooks().forEach(w -> {
            assertThat(w.getFailurePolicy()).isEqualTo("Fail");
            w.setClientConfig(new WebhookClientConfigBuilder().withUrl(url).build());
            w.setNamespaceSelector(new LabelSelectorBuilder().withMatchExpressions(
                    new LabelSelectorRequirement("kubernetes.io/metadata.name", "In", List.of(namespace))).build());
        });
        return copy;
    }

    private static void create(ValidatingWebhookConfiguration configuration) {
        kube.resource(configuration).create();
        CONFIGURATIONS.add(configuration.getMetadata().getName());
    }

    private static void install(CustomResourceDefinition definition) {
        CustomResourceDefinition crd = kube.resource(definition).serverSideApply();
        kube.resource(crd).waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions() != null
                && c.getStatus().getConditions().stream()
                .anyMatch(x -> x.getType().equals("Established") && x.getStatus().equals("True")), 30, TimeUnit.SECONDS);
    }

    /** The refusal's message, or empty when the apiserver stored the object (which is deleted again). */
    private static Optional<String> refusal(String namespace, String version, String kind, String name, JsonNode spec) {
        var client = kube.genericKubernetesResources(context(kind, version)).inNamespace(namespace);
        Optional<String> refused = refusalOf(() -> client.resource(resource(version, kind, name, spec)).create());
        if (refused.isEmpty()) {
            client.withName(name).delete();
        }
        return refused;
    }

    private static Optional<String> refusalOf(Runnable write) {
        try {
            write.run();
            return Optional.empty();
        } catch (KubernetesClientException e) {
            return Optional.of(e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage());
        }
    }

    private static GenericKubernetesResource resource(String version, String kind, String name, JsonNode spec) {
        GenericKubernetesResource resource = new GenericKubernetesResource();
        resource.setApiVersion(IstioKind.ofKind(kind).orElseThrow().group() + "/" + version);
        resource.setKind(kind);
        resource.setMetadata(new ObjectMetaBuilder().withName(name).build());
        resource.setAdditionalProperty("spec", InjectorJson.JSON.convertValue(spec, Map.class));
        return resource;
    }

    private static ResourceDefinitionContext context(String kind, String version) {
        IstioKind istio = IstioKind.ofKind(kind).orElseThrow();
        return new ResourceDefinitionContext.Builder().withGroup(istio.group()).withVersion(version).withKind(kind)
                .withPlural(istio.plural()).withNamespaced(true).build();
    }

    private static JsonNode json(String json) {
        try {
            return InjectorJson.JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** JSON equality where 100 and 100.0 are the same number: the apiserver stores numbers in their shortest form. */
    private static int sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    }

    private static String namespace() {
        String name = "val-" + UUID.randomUUID().toString().substring(0, 8);
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        NAMESPACES.add(name);
        return name;
    }

    private static <T> T await(Supplier<T> condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            T value = condition.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not within " + WAIT);
    }
}
