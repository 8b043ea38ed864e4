package dev.windlass.profiles.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.profiles.ProfileCatalog;
import dev.windlass.profiles.SetFlag;
import dev.windlass.profiles.ValuesLayer;
import dev.windlass.profiles.ValuesResolver;
import dev.windlass.profiles.Yaml;
import dev.windlass.upgrade.VersionCatalog;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings the discovery server and the proxies read reach them under the names they read (the contract's
 * EnvVars): the proxy's on injected sidecars and gateways alike, the discovery server's on its Deployment.
 */
class ComponentSettingsTest {
    private static final String SETTINGS = """
            profile: demo
            meshConfig:
              accessLogEncoding: JSON
              defaultConfig:
                holdApplicationUntilProxyStarts: true
                proxyMetadata: {ISTIO_META_DNS_CAPTURE: "true", INITIAL_FETCH_TIMEOUT_SECONDS: "30"}
            values:
              global: {logAsJson: true}
              discovery: {debounceQuietMillis: 250, debounceMaxMillis: 3000}
            """;

    @Test
    void sidecarsAndGatewaysGetTheProxySettings() {
        List<HasMetadata> mesh = render(SETTINGS);
        Map<String, String> sidecar = env(sidecarTemplate(mesh).getContainers().getFirst());
        for (Map<String, String> proxy : List.of(sidecar, env(deployment(mesh, "windlass-ingressgateway")),
                env(deployment(mesh, "windlass-egressgateway")))) {
            assertThat(proxy).containsEntry("ACCESS_LOG_ENCODING", "JSON").containsEntry("LOG_AS_JSON", "true")
                    .containsEntry("ACCESS_LOG_FILE", "/dev/stdout")
                    .containsEntry("ISTIO_META_DNS_CAPTURE", "true").containsEntry("INITIAL_FETCH_TIMEOUT_SECONDS", "30");
        }
    }

    @Test
    void theDiscoveryServerGetsItsLoggingAndDebounceSettings() {
        assertThat(env(deployment(render(SETTINGS), "windlass-discovery"))).containsEntry("LOG_AS_JSON", "true")
                .containsEntry("DEBOUNCE_QUIET_MS", "250").containsEntry("DEBOUNCE_MAX_MS", "3000");
    }

    @Test
    void theInjectorIsToldToHoldApplications() {
        ConfigMap injector = (ConfigMap) render(SETTINGS).stream()
                .filter(o -> o.getMetadata().getName().equals("windlass-sidecar-injector")).findFirst().orElseThrow();
        assertThat(injector.getData().get("values.yaml")).contains("holdApplicationUntilProxyStarts: true");
        assertThat(render("profile: preview").stream().filter(o -> o.getMetadata().getName().equals("windlass-sidecar-injector"))
                .map(o -> ((ConfigMap) o).getData().get("values.yaml")).findFirst().orElseThrow())
                .as("the preview profile's one difference from default").contains("holdApplicationUntilProxyStarts: true");
    }

    private static List<HasMetadata> render(String spec) {
        var values = new ValuesResolver(ProfileCatalog.builtIn(), VersionCatalog.builtIn())
                .resolve(new ValuesLayer("mcp.yaml", tree(spec)), List.<SetFlag>of(), Optional.empty());
        return new MeshRenderer(VersionCatalog.builtIn()).render("windlass", values.spec(), "default", true);
    }

    private static ObjectNode tree(String yaml) {
        try {
            return (ObjectNode) Yaml.MAPPER.readTree(yaml);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Container deployment(List<HasMetadata> mesh, String name) {
        return mesh.stream().filter(o -> o instanceof Deployment && o.getMetadata().getName().equals(name))
                .map(o -> ((Deployment) o).getSpec().getTemplate().getSpec().getContainers().getFirst()).findFirst().orElseThrow();
    }

    private static PodSpec sidecarTemplate(List<HasMetadata> mesh) {
        ConfigMap injector = (ConfigMap) mesh.stream().filter(o -> o.getMetadata().getName().equals("windlass-sidecar-injector"))
                .findFirst().orElseThrow();
        try {
            return Yaml.MAPPER.readValue(injector.getData().get("template.yaml"), PodSpec.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, String> env(Container container) {
        return container.getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }
}
