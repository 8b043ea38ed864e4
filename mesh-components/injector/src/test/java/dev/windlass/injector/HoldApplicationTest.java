package dev.windlass.injector;

import dev.windlass.contract.ProxyImage;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * holdApplicationUntilProxyStarts, mesh-wide (the injector ConfigMap's values) or per pod (proxy.istio.io/config):
 * the proxy container first, with the wait command as its postStart hook; otherwise last, without a hook.
 */
class HoldApplicationTest {
    private static final String ANNOTATION = "proxy.istio.io/config";

    @Test
    void meshWideTheProxyGoesFirstAndWaitsUntilReady() {
        Pod pod = inject(meshHolding(true), Map.of());
        assertThat(names(pod)).containsExactly(ProxyImage.PROXY_CONTAINER, "app");
        assertThat(first(pod).getLifecycle().getPostStart().getExec().getCommand()).isEqualTo(ProxyImage.WAIT_COMMAND);
        assertThat(pod.getMetadata().getAnnotations()).containsEntry(InjectionNames.DEFAULT_CONTAINER_ANNOTATION, "app");
    }

    @Test
    void offTheProxyGoesLastWithoutAHook() {
        Pod pod = inject(meshHolding(false), Map.of());
        assertThat(names(pod)).containsExactly("app", ProxyImage.PROXY_CONTAINER);
        assertThat(pod.getSpec().getContainers().get(1).getLifecycle()).isNull();
    }

    @Test
    void thePodsAnnotationOverridesTheMeshEitherWay() {
        assertThat(names(inject(meshHolding(false), Map.of(ANNOTATION, "{\"holdApplicationUntilProxyStarts\": true}"))))
                .containsExactly(ProxyImage.PROXY_CONTAINER, "app");
        Pod off = inject(meshHolding(true), Map.of(ANNOTATION, "holdApplicationUntilProxyStarts: false"));
        assertThat(names(off)).containsExactly("app", ProxyImage.PROXY_CONTAINER);
        assertThat(names(inject(meshHolding(true), Map.of(ANNOTATION, "{}")))).first().isEqualTo(ProxyImage.PROXY_CONTAINER);
    }

    @Test
    void otherProxyConfigFieldsAreRefusedByNameNotIgnored() {
        assertThatThrownBy(() -> inject(meshHolding(false), Map.of(ANNOTATION, "{\"concurrency\": 4}")))
                .isInstanceOf(InjectionException.class)
                .hasMessage("annotation proxy.istio.io/config: not supported by Windlass: concurrency (only holdApplicationUntilProxyStarts is)");
        assertThatThrownBy(() -> inject(meshHolding(false), Map.of(ANNOTATION, "holdApplicationUntilProxyStarts: \"yes\"")))
                .hasMessage("annotation proxy.istio.io/config: holdApplicationUntilProxyStarts must be true or false, got \"yes\"");
        assertThatThrownBy(() -> inject(meshHolding(false), Map.of(ANNOTATION, "true")))
                .hasMessageStartingWith("annotation proxy.istio.io/config: expected a map of proxy settings");
    }

    private static Injector meshHolding(boolean hold) {
        InjectorConfig demo = Fixtures.config("default");
        InjectorValues values = demo.values();
        return new Injector(new InjectorConfig(demo.template(), new InjectorValues(values.revision(), values.version(),
                values.rewriteAppHTTPProbes(), hold)), Fixtures.MESH_NAMESPACE);
    }

    private static Pod inject(Injector injector, Map<String, String> annotations) {
        Pod pod = Fixtures.pod("""
                metadata: {name: caller, namespace: shop}
                spec:
                  containers: [{name: app, image: windlass/bookinfo:0.2.0}]
                """);
        pod.getMetadata().setAnnotations(annotations);
        Injector.Result result = injector.inject(pod, new NamespaceInfo("shop", Map.of("windlass-injection", "enabled")));
        assertThat(result.injected()).isTrue();
        return result.pod();
    }

    private static List<String> names(Pod pod) {
        return pod.getSpec().getContainers().stream().map(Container::getName).toList();
    }

    private static Container first(Pod pod) {
        return pod.getSpec().getContainers().getFirst();
    }
}
