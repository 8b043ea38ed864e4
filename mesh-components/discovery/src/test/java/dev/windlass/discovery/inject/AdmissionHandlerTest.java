package dev.windlass.discovery.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.discovery.metrics.Metrics;
import dev.windlass.injector.InjectorConfig;
import dev.windlass.injector.InjectorJson;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdmissionHandlerTest {
    private final Metrics metrics = new Metrics();
    private final Map<String, Map<String, String>> namespaces = Map.of(
            "shop", Map.of("windlass-injection", "enabled"), "plain", Map.of());
    private final AdmissionHandler handler = new AdmissionHandler(
            () -> Optional.of(InjectorConfig.parse(InjectFixtures.CONFIG_MAP_DATA)), namespaces::get, "windlass-system", metrics);

    @Test
    void aPodInAnEnabledNamespaceGetsAPatchAddingTheSidecar() throws Exception {
        ObjectNode review = InjectFixtures.review("u1", "shop", InjectFixtures.pod("web", Map.of()));
        JsonNode answer = handler.handle(review);
        assertThat(answer.path("response").path("uid").asText()).isEqualTo("u1");
        assertThat(answer.path("response").path("allowed").asBoolean()).isTrue();
        assertThat(answer.path("response").path("patchType").asText()).isEqualTo("JSONPatch");
        JsonNode pod = InjectFixtures.patched(review, answer);
        assertThat(pod.path("spec").path("containers").findValuesAsText("name")).contains("app", "windlass-proxy");
        assertThat(pod.path("spec").path("containers").get(0).path("readinessProbe").path("httpGet").path("port").asInt())
                .isEqualTo(15020);
        // The template mounts the CA root: the sidecar will hold a certificate, so clients may send it mTLS.
        assertThat(pod.path("metadata").path("labels").path("security.windlass.dev/tlsMode").asText()).isEqualTo("windlass");
        assertThat(metrics.injections("injected")).isEqualTo(1);
    }

    @Test
    void skippedPodsAreAllowedWithoutAPatch() {
        JsonNode plain = handler.handle(InjectFixtures.review("u2", "plain", InjectFixtures.pod("web", Map.of())));
        JsonNode optOut = handler.handle(InjectFixtures.review("u3", "shop",
                InjectFixtures.pod("web", Map.of("sidecar.windlass.dev/inject", "false"))));
        for (JsonNode answer : new JsonNode[]{plain, optOut}) {
            assertThat(answer.path("response").path("allowed").asBoolean()).isTrue();
            assertThat(answer.path("response").has("patch")).isFalse();
        }
        assertThat(metrics.injections("skipped")).isEqualTo(2);
    }

    @Test
    void aMalformedAnnotationIsRefusedNamingIt() {
        JsonNode answer = handler.handle(InjectFixtures.review("u4", "shop",
                InjectFixtures.pod("web", Map.of("sidecar.windlass.dev/proxyCPU", "fast"))));
        assertThat(answer.path("response").path("allowed").asBoolean()).isFalse();
        assertThat(answer.path("response").path("status").path("message").asText())
                .isEqualTo("windlass sidecar injection: annotation sidecar.windlass.dev/proxyCPU=\"fast\": not a quantity");
        assertThat(metrics.injections("refused")).isEqualTo(1);
    }

    @Test
    void anInternalErrorLetsThePodThroughWithoutASidecarButSaysSoAndCountsIt() {
        AdmissionHandler noConfig = new AdmissionHandler(Optional::empty, namespaces::get, "windlass-system", metrics);
        JsonNode answer = noConfig.handle(InjectFixtures.review("u5", "shop", InjectFixtures.pod("web", Map.of())));
        assertThat(answer.path("response").path("allowed").asBoolean()).isTrue();
        assertThat(answer.path("response").has("patch")).isFalse();
        assertThat(answer.path("response").path("warnings").get(0).asText()).contains("not injected", "no injector config");
        assertThat(metrics.injections("error")).isEqualTo(1);
        assertThat(metrics.exposition()).contains("windlass_discovery_injections_total{result=\"error\"} 1");
    }

    @Test
    void somethingThatIsNotAnAdmissionReviewIsABadRequest() {
        assertThatThrownBy(() -> handler.handle(InjectorJson.JSON.createObjectNode().put("kind", "Pod")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
