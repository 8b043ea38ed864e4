package dev.windlass.discovery.xds;

import dev.windlass.discovery.Fixtures;
import dev.windlass.discovery.model.MeshSettings;
import dev.windlass.discovery.model.MeshSnapshot;
import dev.windlass.discovery.model.PodModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The discovery server translates once per {@link ProxyShape} and serves the result to every proxy of that shape,
 * which is only right if nothing else of a pod reaches its translation. A twin of {@code backend-a1} (another name
 * and address, same labels, ports and node) must translate alike; pods that differ in labels or locality must not.
 */
class ProxyShapeTest {
    private static final PodModel TWIN = new PodModel("backend-a9", "loc", "10.244.6.9",
            java.util.Map.of("app", "backend", "version", "v1"), "backend", java.util.Map.of(), "node-a", null);

    private final MeshSnapshot snapshot = withTwin(Fixtures.registry("locality"));

    @Test
    void twoPodsOfOneShapeTranslateAlike() {
        ProxyNode original = sidecar("10.244.6.1", "backend-a1");
        ProxyNode twin = sidecar("10.244.6.9", "backend-a9");

        assertThat(ProxyShape.of(snapshot, twin)).isEqualTo(ProxyShape.of(snapshot, original));
        ProxyResources resources = Translator.translate(snapshot, original);
        assertThat(resources.listeners()).containsKey("virtualInbound");
        assertThat(Translator.translate(snapshot, twin)).isEqualTo(resources);
    }

    @Test
    void anotherLocalityOrOtherLabelsMakeAnotherShape() {
        ProxyShape a1 = ProxyShape.of(snapshot, sidecar("10.244.6.1", "backend-a1"));
        ProxyNode otherNode = sidecar("10.244.6.3", "backend-b1");
        ProxyNode otherLabels = sidecar("10.244.6.4", "backend-c1");

        assertThat(ProxyShape.of(snapshot, otherNode)).isNotEqualTo(a1);
        assertThat(Translator.translate(snapshot, otherNode).endpoints())
                .isNotEqualTo(Translator.translate(snapshot, sidecar("10.244.6.1", "backend-a1")).endpoints());
        assertThat(ProxyShape.of(snapshot, otherLabels)).isNotEqualTo(a1);
    }

    @Test
    void aProxyWhosePodIsUnknownHasTheShapeOfItsNamespaceAndKind() {
        ProxyShape unknown = ProxyShape.of(snapshot, sidecar("10.244.9.9", "gone-0"));

        assertThat(unknown.podKnown()).isFalse();
        assertThat(ProxyShape.of(snapshot, sidecar("10.244.9.8", "gone-1"))).isEqualTo(unknown);
        assertThat(ProxyShape.of(snapshot, ProxyNode.parse("router~10.244.9.9~gone-0.loc~loc.svc.cluster.local")))
                .isNotEqualTo(unknown);
    }

    private static ProxyNode sidecar(String ip, String pod) {
        return ProxyNode.parse("sidecar~" + ip + "~" + pod + ".loc~loc.svc.cluster.local");
    }

    private static MeshSnapshot withTwin(Fixtures.Registry registry) {
        List<PodModel> pods = new ArrayList<>(registry.pods());
        pods.add(TWIN);
        return new Fixtures.Registry(registry.services(), registry.slices(), pods, registry.istio(), registry.nodes())
                .snapshot(MeshSettings.DEFAULT);
    }
}
