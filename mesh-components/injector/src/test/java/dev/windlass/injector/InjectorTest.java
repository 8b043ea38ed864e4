package dev.windlass.injector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.windlass.contract.EnvVars;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.zjsonpatch.JsonPatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InjectorTest {
    private final Injector injector = Fixtures.injector("default");

    @ParameterizedTest
    @ValueSource(strings = {"enabled-namespace", "opt-in-label", "probe-rewriting", "traffic-annotations",
            "resource-annotations"})
    void injectingTwiceChangesNothingMore(String name) {
        Fixtures.Case c = Fixtures.load(name);
        Pod once = injector.inject(c.pod(), c.namespace()).pod();
        Injector.Result twice = injector.inject(once, c.namespace());
        assertThat(twice.injected()).isFalse();
        assertThat(twice.decision().reason()).isEqualTo("already injected");
        assertThat(twice.pod()).isSameAs(once);
    }

    @ParameterizedTest
    @ValueSource(strings = {"enabled-namespace", "opt-in-label", "probe-rewriting", "traffic-annotations"})
    void thePatchTurnsTheOriginalJsonIntoTheInjectedPod(String name) {
        Fixtures.Case c = Fixtures.load(name);
        Pod injected = injector.inject(c.pod(), c.namespace()).pod();
        ArrayNode patch = Injector.patch(c.podJson(), injected);
        JsonNode patched = JsonPatch.apply(patch, c.podJson());
        assertThat(patched).isEqualTo(InjectorJson.JSON.valueToTree(injected));
        // Only additions to what the user wrote, except the rewritten probes.
        assertThat(patch.findValuesAsText("op")).allMatch(op -> op.equals("add") || name.equals("probe-rewriting"));
    }

    @Test
    void theOriginalPodIsNotModified() {
        Fixtures.Case c = Fixtures.load("probe-rewriting");
        String before = InjectorJson.json(c.pod());
        injector.inject(c.pod(), c.namespace());
        assertThat(InjectorJson.json(c.pod())).isEqualTo(before);
    }

    @Test
    void probersEnvCarriesTheOriginalTargets() throws Exception {
        Fixtures.Case c = Fixtures.load("probe-rewriting");
        Pod pod = injector.inject(c.pod(), c.namespace()).pod();
        JsonNode probers = InjectorJson.JSON.readTree(env(proxy(pod), EnvVars.APP_PROBERS));
        assertThat(probers.path("/app-health/web/livez").path("httpGet").path("port").asInt()).isEqualTo(8080);
        assertThat(probers.path("/app-health/web/readyz").path("httpGet").path("path").asText()).isEqualTo("/ready");
        assertThat(probers.path("/app-health/web/readyz").path("timeoutSeconds").asInt()).isEqualTo(3);
        assertThat(probers.size()).isEqualTo(2);
    }

    @Test
    void theAnnotationSwitchesProbeRewritingOff() {
        Fixtures.Case c = Fixtures.load("probe-rewriting");
        c.pod().getMetadata().setAnnotations(Map.of(InjectionNames.REWRITE_PROBES_ANNOTATION, "false"));
        Pod pod = injector.inject(c.pod(), c.namespace()).pod();
        assertThat(pod.getSpec().getContainers().get(0).getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(proxy(pod).getEnv()).extracting(EnvVar::getName).doesNotContain(EnvVars.APP_PROBERS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lots", "", "1.2.3Mi", "12Qi"})
    void aBadResourceAnnotationIsRefusedNamingIt(String value) {
        Fixtures.Case c = Fixtures.load("resource-annotations");
        c.pod().getMetadata().setAnnotations(Map.of("sidecar.windlass.dev/proxyMemory", value));
        assertThatThrownBy(() -> injector.inject(c.pod(), c.namespace()))
                .isInstanceOf(InjectionException.class)
                .hasMessage("annotation sidecar.windlass.dev/proxyMemory=\"" + value + "\": not a quantity");
    }

    @Test
    void aConfigWithoutTheProxyContainerIsRefused() {
        assertThatThrownBy(() -> InjectorConfig.parse(Map.of("template.yaml", "containers: [{name: other}]",
                "values.yaml", "revision: default")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("template.yaml: no container named windlass-proxy");
        assertThatThrownBy(() -> InjectorConfig.parse(Map.of("template.yaml", "containers: [{name: windlass-proxy}]")))
                .hasMessage("values.yaml: missing");
    }

    /** The mTLS label follows the template: a sidecar that mounts the CA root will hold a certificate. */
    @Test
    void sidecarsHoldCertificatesWhenTheTemplateMountsTheCaRoot() {
        assertThat(Fixtures.config("default").sidecarsHoldCertificates()).isTrue();
        assertThat(InjectorConfig.parse(Map.of("template.yaml", "containers: [{name: windlass-proxy}]",
                "values.yaml", "revision: default")).sidecarsHoldCertificates()).isFalse();
    }

    private static Container proxy(Pod pod) {
        List<Container> containers = pod.getSpec().getContainers();
        return containers.get(containers.size() - 1);
    }

    private static String env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow().getValue();
    }
}
