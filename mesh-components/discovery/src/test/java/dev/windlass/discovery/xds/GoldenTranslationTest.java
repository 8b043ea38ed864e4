package dev.windlass.discovery.xds;

import dev.windlass.discovery.Fixtures;
import dev.windlass.discovery.model.MeshSettings;
import dev.windlass.discovery.model.MeshSnapshot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registry fixtures (src/test/resources/fixtures) in, one proxy's xDS resources out, as Envoy-style JSON compared
 * with src/test/resources/golden. After an intended change, regenerate with {@code UPDATE_GOLDEN=1} and review
 * the diff.
 */
class GoldenTranslationTest {
    private static final Path GOLDEN_SOURCE = Path.of("src/test/resources/golden");
    private static final MeshSettings REGISTRY_ONLY =
            new MeshSettings(MeshSettings.OutboundPolicy.REGISTRY_ONLY, "cluster.local");

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "http,                http,      ALLOW_ANY,     sidecar~10.244.0.5~productpage-v1-6b746f74dc-x2k4p.bookinfo~bookinfo.svc.cluster.local",
            "http-registry-only,  http,      REGISTRY_ONLY, sidecar~10.244.0.5~productpage-v1-6b746f74dc-x2k4p.bookinfo~bookinfo.svc.cluster.local",
            "http-router,         http,      ALLOW_ANY,     router~10.244.9.9~ingressgateway-abc.windlass-system~windlass-system.svc.cluster.local",
            "tcp-shared-port,     tcp,       ALLOW_ANY,     sidecar~10.244.1.1~db-a-0.data~data.svc.cluster.local",
            "multiport,           multiport, ALLOW_ANY,     sidecar~10.244.2.1~api-0.shop~shop.svc.cluster.local",
            "bookinfo-routing,    bookinfo-routing, ALLOW_ANY, sidecar~10.244.0.5~productpage-v1-abc.bookinfo~bookinfo.svc.cluster.local",
            "weights,             weights,   ALLOW_ANY,     sidecar~10.244.1.9~sleep-0.default~default.svc.cluster.local",
            "features,            features,  ALLOW_ANY,     sidecar~10.244.3.9~client-0.features~features.svc.cluster.local",
            "egress,              egress,    ALLOW_ANY,     sidecar~10.244.1.9~sleep-0.default~default.svc.cluster.local",
            "egress-registry-only, egress,   REGISTRY_ONLY, sidecar~10.244.1.9~sleep-0.default~default.svc.cluster.local",
            "egress-router,       egress,    ALLOW_ANY,     router~10.244.9.8~egressgateway-abc.windlass-system~windlass-system.svc.cluster.local",
            "egress-gateway-tls,  egress-gateway-tls, REGISTRY_ONLY, sidecar~10.244.1.9~sleep-0.default~default.svc.cluster.local",
            "egress-gateway-tls-router, egress-gateway-tls, REGISTRY_ONLY, router~10.244.9.8~windlass-egressgateway-5f6d-abcde.windlass-system~windlass-system.svc.cluster.local",
            "gateway-seeds,       gateway-seeds, ALLOW_ANY, router~10.244.9.9~windlass-ingressgateway-7d9c-abcde.windlass-system~windlass-system.svc.cluster.local",
            "gateway-merge,       gateway-merge, ALLOW_ANY, router~10.244.9.9~windlass-ingressgateway-7d9c-abcde.windlass-system~windlass-system.svc.cluster.local",
            "gateway-merge-mesh,  gateway-merge, ALLOW_ANY, sidecar~10.244.0.5~productpage-v1-abc.bookinfo~bookinfo.svc.cluster.local",
            "circuit-breaker,     circuit-breaker, ALLOW_ANY, sidecar~10.244.7.9~fortio-0.cb~cb.svc.cluster.local",
            "outlier-detection,   outlier-detection, ALLOW_ANY, sidecar~10.244.8.9~sleep-0.od~od.svc.cluster.local",
            "consistent-hash,     consistent-hash, ALLOW_ANY, sidecar~10.244.9.9~sleep-0.ch~ch.svc.cluster.local",
            "h2-warmup,           h2-warmup, ALLOW_ANY,     sidecar~10.244.6.9~client-0.h2~h2.svc.cluster.local",
            "port-policies,       port-policies, ALLOW_ANY, sidecar~10.244.6.9~client-0.pp~pp.svc.cluster.local",
            "locality-region1,    locality,  ALLOW_ANY,     sidecar~10.244.5.1~sleep-0.loc~loc.svc.cluster.local",
            "locality-region2,    locality,  ALLOW_ANY,     sidecar~10.244.5.2~sleep-1.loc~loc.svc.cluster.local",
            "tls-origination,     tls-origination, ALLOW_ANY, sidecar~10.244.6.9~sleep-0.tls~tls.svc.cluster.local",
            "tls-origination-egress, tls-origination, ALLOW_ANY, router~10.244.6.10~egress-0.tls~tls.svc.cluster.local",
    })
    void translationMatchesGolden(String golden, String fixture, String policy, String nodeId) throws IOException {
        MeshSettings settings = "REGISTRY_ONLY".equals(policy) ? REGISTRY_ONLY : MeshSettings.DEFAULT;
        MeshSnapshot snapshot = Fixtures.snapshot(fixture, settings);

        String actual = XdsJson.pretty(XdsJson.toJson(Translator.translate(snapshot, ProxyNode.parse(nodeId))));

        Path file = GOLDEN_SOURCE.resolve(golden + ".json");
        if (System.getenv("UPDATE_GOLDEN") != null) {
            Files.writeString(file, actual);
        }
        assertThat(file).exists();
        assertThat(actual).isEqualTo(Files.readString(file));
    }
}
