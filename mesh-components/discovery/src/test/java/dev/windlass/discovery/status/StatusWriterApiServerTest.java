package dev.windlass.discovery.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.discovery.kube.KubeWatcher;
import dev.windlass.testsupport.ApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tier 2: the status writer against a real apiserver with the networking.istio.io CRDs as the operator renders
 * them. A VirtualService whose subset no DestinationRule defines gets IST0101 in its status; creating the
 * DestinationRule clears it.
 */
class StatusWriterApiServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StatusWriter.Settings FAST = new StatusWriter.Settings(Duration.ofMillis(50), Duration.ofMillis(200),
            Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofMinutes(5), Duration.ofMillis(500), 50, 200);

    private KubernetesClient kube;
    private String ns;
    private KubeWatcher watcher;
    private StatusWriter writer;
    private final AtomicInteger changes = new AtomicInteger();

    @BeforeEach
    void start() {
        kube = ApiServer.client();
        ApiServer.installIstioCrds();
        ns = "status-" + UUID.randomUUID().toString().substring(0, 8);
        apply("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: %1$s}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: reviews, namespace: %1$s}
                spec: {selector: {app: reviews}, ports: [{name: http, port: 9080}]}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: reviews-v2, namespace: %1$s, labels: {app: reviews, version: v2}}
                spec: {containers: [{name: app, image: reviews:2}]}
                """);
        watcher = new KubeWatcher(kube, ns, KubeWatcher.meshConfigName(""));
        watcher.start(change -> changes.incrementAndGet());
        writer = StatusWriter.start(kube, watcher, watcher::istioObject, FAST);
    }

    @AfterEach
    void stop() {
        if (writer != null) {
            writer.close();
        }
        if (watcher != null) {
            watcher.close();
        }
        if (kube != null && ns != null) {
            kube.namespaces().withName(ns).delete();
        }
    }

    @Test
    void aMissingSubsetIsReportedInStatusAndCreatingTheDestinationRuleClearsIt() {
        apply("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews, namespace: %1$s}
                spec:
                  hosts: [reviews]
                  http: [{route: [{destination: {host: reviews, subset: v2}}]}]
                """);
        JsonNode status = awaitStatus("VirtualService", "reviews", s -> !s.path("validationMessages").isEmpty());
        assertThat(status.path("validationMessages")).singleElement().satisfies(m -> {
            assertThat(m.path("type").path("code").asText()).isEqualTo("IST0101");
            assertThat(m.path("level").asText()).isEqualTo("ERROR");
            assertThat(m.path("documentationUrl").asText())
                    .isEqualTo("https://istio.io/latest/docs/reference/config/analysis/ist0101/?ref=status-controller");
        });
        assertThat(status.path("observedGeneration").asLong()).isEqualTo(1);
        JsonNode condition = status.path("conditions").get(0);
        assertThat(condition.path("type").asText()).isEqualTo("Reconciled");
        assertThat(condition.path("status").asText()).isEqualTo("True");
        assertThat(condition.path("reason").asText()).isEqualTo("Accepted");
        String version = object("VirtualService", "reviews").getMetadata().getResourceVersion();

        apply("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews, namespace: %1$s}
                spec: {host: reviews, subsets: [{name: v2, labels: {version: v2}}]}
                """);
        JsonNode cleared = awaitStatus("VirtualService", "reviews", s -> s.path("validationMessages").isEmpty());
        assertThat(cleared.path("conditions").get(0).path("lastTransitionTime"))
                .isEqualTo(condition.path("lastTransitionTime"));
        JsonNode rule = awaitStatus("DestinationRule", "reviews", s -> s.has("observedGeneration"));
        assertThat(rule.path("validationMessages").isEmpty()).as(rule.toString()).isTrue();
        assertThat(object("VirtualService", "reviews").getMetadata().getResourceVersion()).isNotEqualTo(version);
    }

    @Test
    void aRejectedResourceSaysWhyAndItsStatusIsWrittenOnceWithoutTriggeringAPush() throws Exception {
        apply("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: odd, namespace: %1$s}
                spec:
                  hosts: [reviews]
                  http: [{route: [{destination: {host: reviews}}], timeout: 1s, retries: {attempts: -1}}]
                """);
        JsonNode status = awaitStatus("VirtualService", "odd", s -> s.has("conditions"));
        assertThat(status.path("conditions").get(0).path("status").asText()).isEqualTo("False");
        assertThat(status.path("conditions").get(0).path("message").asText())
                .isEqualTo("Rejected by windlass-discovery, not served to proxies: spec.http[0].retries.attempts: attempts cannot be negative");
        assertThat(status.path("validationMessages").findValuesAsText("code")).containsExactly("IST0106");
        String version = object("VirtualService", "odd").getMetadata().getResourceVersion();
        int pushes = changes.get();
        Thread.sleep(1500); // several runs of the fast schedule: nothing new to say, so nothing written
        assertThat(object("VirtualService", "odd").getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(changes.get()).as("a status write changes no model, so it calls for no push").isEqualTo(pushes);
    }

    private JsonNode awaitStatus(String kind, String name, Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode status = null;
        while (System.nanoTime() < deadline) {
            GenericKubernetesResource object = object(kind, name);
            Object raw = object == null ? null : object.getAdditionalProperties().get("status");
            status = raw == null ? null : JSON.valueToTree(raw);
            if (status != null && done.test(status)) {
                return status;
            }
            sleep();
        }
        throw new AssertionError(kind + " " + ns + "/" + name + ": status not as expected within 30 s: " + status);
    }

    private GenericKubernetesResource object(String kind, String name) {
        return kube.genericKubernetesResources("networking.istio.io/v1", kind).inNamespace(ns).withName(name).get();
    }

    private void apply(String yaml) {
        for (String doc : yaml.formatted(ns).split("(?m)^---$")) {
            HasMetadata object = Serialization.unmarshal(doc, GenericKubernetesResource.class);
            kube.resource(object).serverSideApply();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
