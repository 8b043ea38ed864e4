package dev.windlass.discovery.ads;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windlass.discovery.AdsClient;
import dev.windlass.discovery.DiscoveryConfig;
import dev.windlass.discovery.DiscoveryServer;
import dev.windlass.discovery.Fixtures;
import dev.windlass.discovery.Recorder;
import dev.windlass.discovery.Responses;
import dev.windlass.discovery.model.ChangeKind;
import dev.windlass.discovery.model.EndpointSliceModel;
import dev.windlass.discovery.model.MeshSettings;
import dev.windlass.discovery.xds.XdsJson;
import dev.windlass.discovery.xds.XdsType;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ADS server over real sockets: a real grpc-java client on an ephemeral port, an in-memory registry, and
 * the debug and metrics pages read over HTTP.
 */
class AdsServerTest {
    private static final String NODE = "sidecar~10.244.0.5~productpage-v1-6b746f74dc-x2k4p.bookinfo~bookinfo.svc.cluster.local";
    private static final String REVIEWS = "outbound|9080||reviews.bookinfo.svc.cluster.local";
    private static final Duration QUIET = Duration.ofMillis(50);

    private final Fixtures.Registry bookinfo = Fixtures.registry("http");
    private final InMemoryModel model = new InMemoryModel(bookinfo.snapshot(MeshSettings.DEFAULT));
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private DiscoveryServer server;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
    }

    private void start(Duration quiet, Duration max) throws IOException {
        DiscoveryConfig config = new DiscoveryConfig("127.0.0.1", 0, 0, 0, "windlass-system", "", quiet, max);
        server = DiscoveryServer.start(config, model);
        closeables.add(server);
    }

    private AdsClient client() {
        AdsClient client = new AdsClient(server.xdsPort(), NODE);
        closeables.add(client);
        return client;
    }

    /** Subscribes like Envoy: CDS, then EDS for the clusters received, then LDS, then RDS; ACKs each. */
    private Map<XdsType, DiscoveryResponse> connectFully(AdsClient client) throws Exception {
        Map<XdsType, DiscoveryResponse> last = new EnumMap<>(XdsType.class);
        for (XdsType type : XdsType.values()) {
            List<String> names = switch (type) {
                case CDS, LDS -> List.of();
                case EDS -> Responses.edsClusters(last.get(XdsType.CDS));
                case RDS -> List.of("9080");
            };
            client.subscribe(type, names);
            DiscoveryResponse response = client.next(type);
            client.ack(response, names);
            last.put(type, response);
        }
        return last;
    }

    @Test
    void aConnectingProxyGetsTheFullState() throws Exception {
        start(QUIET, Duration.ofSeconds(2));

        Map<XdsType, DiscoveryResponse> state = connectFully(client());

        assertThat(Responses.names(state.get(XdsType.CDS))).containsExactly("BlackHoleCluster", "InboundPassthroughCluster",
                "PassthroughCluster", "inbound|9080||", "outbound|9080||productpage.bookinfo.svc.cluster.local", REVIEWS);
        assertThat(state.get(XdsType.EDS).getResourcesCount()).isEqualTo(2);
        assertThat(Responses.names(state.get(XdsType.LDS))).containsExactly("0.0.0.0_9080", "virtualInbound", "virtualOutbound");
        assertThat(Responses.names(state.get(XdsType.RDS))).containsExactly("9080");
        assertThat(server.metrics().pushes(XdsType.CDS)).isEqualTo(1);
    }

    @Test
    void acksAreRecordedPerTypeInSyncz() throws Exception {
        start(QUIET, Duration.ofSeconds(2));
        Map<XdsType, DiscoveryResponse> state = connectFully(client());

        JsonNode proxy = awaitSyncz(p -> p.path("types").path(XdsType.RDS.typeUrl()).path("synced").asBoolean());

        assertThat(proxy.path("proxy").asText()).isEqualTo(NODE);
        for (XdsType type : XdsType.values()) {
            JsonNode status = proxy.path("types").path(type.typeUrl());
            assertThat(status.path("version_sent").asText()).isEqualTo(state.get(type).getVersionInfo());
            assertThat(status.path("version_acked").asText()).isEqualTo(state.get(type).getVersionInfo());
            assertThat(status.path("nonce_acked").asText()).isEqualTo(state.get(type).getNonce());
            assertThat(status.path("status").asText()).isEqualTo("SYNCED");
            assertThat(status.has("last_nack")).isFalse();
        }
    }

    @Test
    void aPushTheProxyHasNotAckedIsStaleUntilItDoes() throws Exception {
        start(QUIET, Duration.ofSeconds(2));
        AdsClient client = client();
        Map<XdsType, DiscoveryResponse> before = connectFully(client);
        awaitSyncz(p -> "SYNCED".equals(p.path("types").path(XdsType.RDS.typeUrl()).path("status").asText()));

        model.update(scaledReviews(3).snapshot(MeshSettings.DEFAULT), ChangeKind.ENDPOINTS);
        DiscoveryResponse eds = client.next(XdsType.EDS);

        JsonNode stale = awaitSyncz(p -> p.path("types").path(XdsType.EDS.typeUrl()).path("nonce_sent").asText()
                .equals(eds.getNonce()));
        assertThat(stale.path("types").path(XdsType.EDS.typeUrl()).path("status").asText()).isEqualTo("STALE");
        assertThat(stale.path("types").path(XdsType.CDS.typeUrl()).path("status").asText()).isEqualTo("SYNCED");

        client.ack(eds, Responses.edsClusters(before.get(XdsType.CDS)));
        awaitSyncz(p -> "SYNCED".equals(p.path("types").path(XdsType.EDS.typeUrl()).path("status").asText()));
    }

    @Test
    void aNackIsShownInSynczAndCounted() throws Exception {
        start(QUIET, Duration.ofSeconds(2));
        AdsClient client = client();
        client.subscribe(XdsType.LDS, List.of());
        DiscoveryResponse lds = client.next(XdsType.LDS);

        client.nack(lds, "", List.of(), "Error adding/updating listener(s) 0.0.0.0_9080: bad filter chain");

        JsonNode proxy = awaitSyncz(p -> p.path("types").path(XdsType.LDS.typeUrl()).has("last_nack"));
        JsonNode status = proxy.path("types").path(XdsType.LDS.typeUrl());
        assertThat(status.path("last_nack").path("message").asText()).contains("bad filter chain");
        assertThat(status.path("last_nack").path("version").asText()).isEqualTo(lds.getVersionInfo());
        assertThat(status.path("version_acked").asText()).isEmpty();
        assertThat(status.path("synced").asBoolean()).isFalse();
        assertThat(status.path("status").asText()).isEqualTo("STALE");
        assertThat(get(server.metricsPort(), "/metrics").body()).contains("windlass_discovery_nacks_total{type=\"lds\"} 1");
        client.expectNothing(Duration.ofMillis(200)); // a NACK is not answered; the proxy keeps its config
    }

    @Test
    void anEndpointOnlyChangePushesOnlyEds() throws Exception {
        start(QUIET, Duration.ofSeconds(2));
        AdsClient client = client();
        Map<XdsType, DiscoveryResponse> before = connectFully(client);

        model.update(scaledReviews(3).snapshot(MeshSettings.DEFAULT), ChangeKind.ENDPOINTS);

        DiscoveryResponse eds = client.next(XdsType.EDS);
        client.ack(eds, Responses.edsClusters(before.get(XdsType.CDS)));
        assertThat(Responses.endpoints(eds, REVIEWS)).hasSize(3);
        assertThat(eds.getVersionInfo()).isNotEqualTo(before.get(XdsType.EDS).getVersionInfo());
        client.expectNothing(Duration.ofMillis(300));
    }

    @Test
    void aFullPushSendsOnlyTheTypesThatChanged() throws Exception {
        start(QUIET, Duration.ofSeconds(2));
        AdsClient client = client();
        connectFully(client);

        model.update(model.snapshot().withSettings(new MeshSettings(MeshSettings.OutboundPolicy.REGISTRY_ONLY, "cluster.local")),
                ChangeKind.FULL);

        // The outbound policy changes virtualOutbound's default chain and the catch-all virtual host, nothing else.
        client.next(XdsType.LDS);
        client.next(XdsType.RDS);
        client.expectNothing(Duration.ofMillis(300));
    }

    @Test
    void aBurstOfChangesIsCoalescedIntoOnePush() throws Exception {
        start(Duration.ofMillis(300), Duration.ofSeconds(10));
        AdsClient client = client();
        connectFully(client);

        for (int i = 1; i <= 10; i++) {
            model.update(scaledReviews(i % 3 + 2).snapshot(MeshSettings.DEFAULT), ChangeKind.ENDPOINTS);
            Thread.sleep(20);
        }

        DiscoveryResponse eds = client.next(XdsType.EDS);
        assertThat(Responses.endpoints(eds, REVIEWS)).hasSize(10 % 3 + 2); // the last state of the burst
        client.expectNothing(Duration.ofMillis(600));
        assertThat(server.metrics().exposition()).contains("windlass_discovery_push_triggers_total{kind=\"endpoints\"} 1");
    }

    @Test
    void aBurstLongerThanTheMaximumDelayStillPushes() throws Exception {
        start(Duration.ofMillis(300), Duration.ofMillis(600));
        AdsClient client = client();
        connectFully(client);

        long start = System.nanoTime();
        CompletableFuture<Void> burst = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 40; i++) { // 2 s of changes, never 300 ms apart
                model.update(scaledReviews(i % 2 + 3).snapshot(MeshSettings.DEFAULT), ChangeKind.ENDPOINTS);
                sleep(50);
            }
        });

        client.next(XdsType.EDS);
        assertThat(burst).as("pushed while the burst was still going").isNotDone();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1900));
        burst.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aReconnectingProxyGetsTheFullStateAgain() throws Exception {
        start(QUIET, Duration.ofSeconds(2));
        AdsClient first = client();
        Map<XdsType, DiscoveryResponse> before = connectFully(first);
        first.hangUp();
        first.ended.get(5, TimeUnit.SECONDS);

        Map<XdsType, DiscoveryResponse> after = connectFully(client());

        for (XdsType type : XdsType.values()) {
            assertThat(after.get(type).getResourcesList()).isEqualTo(before.get(type).getResourcesList());
            assertThat(after.get(type).getVersionInfo()).isEqualTo(before.get(type).getVersionInfo());
            assertThat(after.get(type).getNonce()).isNotEqualTo(before.get(type).getNonce());
        }
        assertThat(awaitSyncz(p -> true).path("proxy").asText()).isEqualTo(NODE); // the old stream is gone
    }

    @Test
    void aNewEdsSubscriptionIsAnsweredAndUnknownNamesAreSkipped() throws Exception {
        start(QUIET, Duration.ofSeconds(2));
        AdsClient client = client();
        client.subscribe(XdsType.EDS, List.of(REVIEWS));
        DiscoveryResponse first = client.next(XdsType.EDS);
        assertThat(Responses.names(first)).containsExactly(REVIEWS);

        List<String> more = List.of(REVIEWS, "outbound|9080||productpage.bookinfo.svc.cluster.local", "outbound|1||nope");
        client.ack(first, more); // Envoy's way of changing a subscription: an ACK with other names

        assertThat(Responses.names(client.next(XdsType.EDS))) // served in name order
                .containsExactly("outbound|9080||productpage.bookinfo.svc.cluster.local", REVIEWS);
    }

    @Test
    void configDumpServesAProxysResourcesByNodeIdOrPodName() throws Exception {
        start(QUIET, Duration.ofSeconds(2));
        connectFully(client());

        HttpResponse<String> byPod = get(server.debugPort(), "/debug/config_dump?proxyID=productpage-v1-6b746f74dc-x2k4p.bookinfo");
        HttpResponse<String> byNode = get(server.debugPort(), "/debug/config_dump?proxyID=" + NODE.replace("~", "%7E"));

        assertThat(byPod.statusCode()).isEqualTo(200);
        assertThat(byNode.body()).isEqualTo(byPod.body().replace("productpage-v1-6b746f74dc-x2k4p.bookinfo\"", NODE + "\""));
        JsonNode dump = XdsJson.MAPPER.readTree(byPod.body());
        assertThat(dump.path("listeners").findValuesAsText("name")).contains("virtualOutbound", "virtualInbound");
        assertThat(dump.path("routes").get(0).path("virtual_hosts").get(0).path("domains").get(0).asText())
                .isEqualTo("productpage.bookinfo.svc.cluster.local");
        assertThat(get(server.debugPort(), "/debug/config_dump?proxyID=nobody.nowhere").statusCode()).isEqualTo(404);
        assertThat(get(server.debugPort(), "/debug/config_dump").statusCode()).isEqualTo(400);
    }

    @Test
    void readyOnlyOnceTheRegistryIsSynced() throws Exception {
        model.synced(false);
        start(QUIET, Duration.ofSeconds(2));

        HttpResponse<String> notReady = get(server.debugPort(), "/ready");
        HttpResponse<String> notReadyForTheKubelet = get(server.metricsPort(), "/ready");
        model.synced(true);
        HttpResponse<String> ready = get(server.debugPort(), "/ready");

        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("informers not synced");
        assertThat(notReadyForTheKubelet.statusCode()).isEqualTo(503);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(get(server.metricsPort(), "/ready").statusCode()).as("the kubelet's probe, on the metrics port").isEqualTo(200);
        assertThat(get(server.metricsPort(), "/metrics").body())
                .contains("# TYPE windlass_discovery_push_latency_seconds histogram", "windlass_discovery_connected_proxies 0");
    }

    /** Issue 20's hardening: syncz and config_dump show every proxy's config, so the debug port is loopback only. */
    @Test
    void theDebugPortListensOnLoopbackOnlyEvenWhenTheRestListensEverywhere() throws Exception {
        DiscoveryConfig config = new DiscoveryConfig("0.0.0.0", 0, 0, 0, "windlass-system", "", QUIET, Duration.ofSeconds(2));
        server = DiscoveryServer.start(config, model);
        closeables.add(server);
        java.net.InetAddress external = java.net.NetworkInterface.networkInterfaces().filter(i -> !i.isVirtual())
                .flatMap(java.net.NetworkInterface::inetAddresses)
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress()).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(external != null, "this machine has no non-loopback IPv4 address");

        assertThat(get(server.debugPort(), "/debug/syncz").statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> new java.net.Socket(external, server.debugPort()).close()).isInstanceOf(java.net.ConnectException.class);
        try (java.net.Socket metrics = new java.net.Socket(external, server.metricsPort())) {
            assertThat(metrics.isConnected()).isTrue();
        }
    }

    @Test
    void aStreamWithoutAValidNodeIdIsRefused() throws Exception {
        start(QUIET, Duration.ofSeconds(2));
        AdsClient client = new AdsClient(server.xdsPort(), "not-a-node-id");
        closeables.add(client);

        client.subscribe(XdsType.CDS, List.of());

        Throwable error = client.ended.get(5, TimeUnit.SECONDS);
        assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(error).hasMessageContaining("node id must be <type>~<ip>~<pod>.<ns>~<ns>.svc.<domain>");
    }

    @Test
    void deltaXdsIsUnimplemented() throws Exception {
        start(QUIET, Duration.ofSeconds(2));
        var channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.xdsPort()).usePlaintext().build();
        closeables.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        Recorder<DeltaDiscoveryResponse> responses = new Recorder<>();

        AggregatedDiscoveryServiceGrpc.newStub(channel).deltaAggregatedResources(responses)
                .onNext(DeltaDiscoveryRequest.getDefaultInstance());

        assertThat(responses.ended.get(5, TimeUnit.SECONDS)).isInstanceOf(StatusRuntimeException.class)
                .extracting(t -> Status.fromThrowable(t).getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    }

    @Test
    void sigtermStyleShutdownEndsStreamsWithUnavailable() throws Exception {
        start(QUIET, Duration.ofSeconds(2));
        AdsClient client = client();
        connectFully(client);

        server.close();

        Throwable error = client.ended.get(5, TimeUnit.SECONDS);
        assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }

    /** Bookinfo with {@code count} ready reviews endpoints (10.244.0.100, .101, ...) in one slice. */
    private Fixtures.Registry scaledReviews(int count) {
        List<EndpointSliceModel.Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            endpoints.add(new EndpointSliceModel.Endpoint("10.244.0." + (100 + i), true, null));
        }
        return bookinfo.withSlice(new EndpointSliceModel("reviews-fghij", "bookinfo", "reviews",
                Map.of("http-api", 9080), endpoints));
    }

    /** Polls /debug/syncz until it lists one proxy, which satisfies {@code until} (ACKs arrive asynchronously). */
    private JsonNode awaitSyncz(java.util.function.Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        JsonNode all;
        do {
            all = XdsJson.MAPPER.readTree(get(server.debugPort(), "/debug/syncz").body());
            if (all.size() == 1 && until.test(all.get(0))) {
                return all.get(0);
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("syncz never matched: " + all);
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
