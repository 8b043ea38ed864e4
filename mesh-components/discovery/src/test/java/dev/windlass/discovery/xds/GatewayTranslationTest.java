package dev.windlass.discovery.xds;

import dev.windlass.discovery.Fixtures;
import dev.windlass.discovery.model.MeshSettings;
import dev.windlass.discovery.model.MeshSnapshot;
import dev.windlass.discovery.routing.GatewayMerge;
import dev.windlass.discovery.routing.GatewayServer;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway rules the gateway-merge and gateway-seeds golden files encode, stated one by one. */
class GatewayTranslationTest {
    private static final String INGRESS = "router~10.244.9.9~windlass-ingressgateway-7d9c-abcde.windlass-system~windlass-system.svc.cluster.local";
    private final MeshSnapshot merge = Fixtures.snapshot("gateway-merge", MeshSettings.DEFAULT);

    @Test
    void serversThatDoNotFitTheirPortAreLeftOutOldestFirst() {
        ProxyView view = ProxyView.of(merge, ProxyNode.parse(INGRESS));
        GatewayMerge.MergedGateway merged = GatewayMerge.merge(view.gateways(), view::gatewayListenerPort);

        assertThat(merged.ports().keySet()).containsExactly(80, 443, 8081, 31400);
        assertThat(merged.skipped()).extracting(s -> s.gateway() + ":" + s.port() + "/" + s.kind())
                .containsExactly("edge/dup-gateway:80/TCP", "edge/dup-gateway:443/HTTPS", "data/late-tcp-gateway:31400/TCP");
        assertThat(merged.ports().get(443).servers()).extracting(GatewayServer::gateway)
                .containsExactly("windlass-system/my-gateway", "bookinfo/bookinfo-gateway", "bookinfo/bookinfo-gateway", "edge/tls-gateway");
    }

    @Test
    void aGatewayHostForOneNamespaceIgnoresRouteSetsOfOthers() {
        RouteConfiguration http80 = Translator.translate(merge, ProxyNode.parse(INGRESS)).routes().get("http.80");

        VirtualHost bookinfo = http80.getVirtualHostsList().stream().filter(v -> v.getName().equals("bookinfo.example.com:80"))
                .findFirst().orElseThrow();
        assertThat(bookinfo.getRoutesList()).extracting(r -> r.getMetadata().getFilterMetadataOrThrow("istio")
                .getFieldsOrThrow("config").getStringValue()).noneMatch(c -> c.contains("/namespaces/other/"));
        assertThat(bookinfo.getRoutesList()).extracting(r -> r.getName()).containsExactly("late-api", "catch-all");
    }

    @Test
    void onlyTheGatewaysThatSelectThePodConfigureIt() {
        ProxyResources resources = Translator.translate(merge, ProxyNode.parse(INGRESS));

        assertThat(resources.listeners()).doesNotContainKey("0.0.0.0_9999");
        assertThat(resources.routes()).containsOnlyKeys("http.80", "http.8081", "https.443.https.my-gateway.windlass-system",
                "https.443.https.bookinfo-gateway.bookinfo", "https.443.https-mutual.bookinfo-gateway.bookinfo");
    }

    @Test
    void aGatewayProxyWhosePodIsUnknownListensOnNothing() {
        ProxyResources resources = Translator.translate(merge,
                ProxyNode.parse("router~10.9.9.9~stranger.windlass-system~windlass-system.svc.cluster.local"));

        assertThat(resources.listeners()).isEmpty();
        assertThat(resources.routes()).isEmpty();
        assertThat(resources.clusters()).containsKey("outbound|9080||productpage.bookinfo.svc.cluster.local");
    }

    @Test
    void aTcpServerWithoutARouteHasNoListener() {
        MeshSnapshot seeds = Fixtures.snapshot("gateway-seeds", MeshSettings.DEFAULT);
        var registry = Fixtures.registry("gateway-seeds");
        var withoutTcpRoutes = new Fixtures.Registry(registry.services(), registry.slices(), registry.pods(),
                registry.istio().stream().filter(c -> !(c instanceof dev.windlass.discovery.kube.IstioObjects.Usable u
                        && u.resource().name().equals("tcp-echo") && u.resource().kind().kind().equals("VirtualService"))).toList());

        assertThat(Translator.translate(seeds, ProxyNode.parse(INGRESS)).listeners()).containsOnlyKeys("0.0.0.0_80", "0.0.0.0_31400");
        assertThat(Translator.translate(withoutTcpRoutes.snapshot(MeshSettings.DEFAULT), ProxyNode.parse(INGRESS)).listeners())
                .containsOnlyKeys("0.0.0.0_80");
        assertThat(List.of("http.80")).containsExactlyElementsOf(Translator.translate(seeds, ProxyNode.parse(INGRESS)).routes().keySet());
    }
}
