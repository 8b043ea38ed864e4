package dev.windlass.e2e.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.testsupport.ApiServer;
import dev.windlass.testsupport.DiscoveryProcess;
import dev.windlass.testsupport.ThisJvm;
import dev.windlass.testsupport.netns.EchoApp;
import dev.windlass.testsupport.netns.Netns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.windlass.e2e.traffic.TrafficObjects.APP_PORT;
import static dev.windlass.e2e.traffic.TrafficObjects.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tier 2, the traffic path with real processes and real iptables, no cluster: the real discovery server watches a
 * real kube-apiserver, where Service {@code app}, its EndpointSlice and the Pods point at network namespaces this
 * test creates ({@link PodNetwork}). A client pod and two server pods run the init program's capture rules and the
 * real sidecar; curl in the client pod calls the Service by ClusterIP and by name, and the request crosses both
 * sidecars (SO_ORIGINAL_DST on 15001, then 15006). The methods run in order, each building on the state the one
 * before left: one endpoint, then two, then the outbound traffic policy and ServiceEntries (an "external" host in a
 * namespace of its own, outside the mesh), then a NACKed push, then no discovery server at all.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TwoSidecarTrafficApiServerTest {
    private static final String CLIENT_IP = "10.251.1.1";
    private static final String APP1_IP = "10.251.1.2";
    private static final String APP2_IP = "10.251.1.3";
    /** An "external" host: a namespace on the same bridge, without capture rules or sidecar, outside the mesh. */
    private static final String EXTERNAL_IP = "10.251.1.9";
    private static final int EXTERNAL_TCP_PORT = 9000;
    private static final String CLIENT_POD = "client-5d8f7c9b4d-x7k2p";
    private static final String APP1_POD = "app-v1-7c9d8b7f5c-q2w4r";
    private static final String APP2_POD = "app-v2-5b8d9f6c7d-x4z2p";
    private static final String FQDN = "app." + NAMESPACE + ".svc.cluster.local";
    private static final String EDS_TYPE = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PodNetwork network;
    private static UnixSocketRelay hostRelay;
    private static DiscoveryProcess discovery;
    private static TrafficObjects objects;
    private static String clusterIp;
    private static Sidecar client;
    private static Sidecar app1;
    private static Sidecar app2;

    @BeforeAll
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    static void setUp() throws Exception {
        String missing = Netns.missingPrerequisite("ip", "iptables-restore", "setpriv", "curl");
        assumeTrue(missing == null, "TwoSidecarTrafficApiServerTest needs network namespaces: " + missing);
        objects = new TrafficObjects(ApiServer.client());
        objects.createNamespaces();
        ApiServer.installIstioCrds(); // before the discovery server starts, so that it watches ServiceEntries
        objects.pod(CLIENT_POD, "client", "v1", CLIENT_IP);
        objects.pod(APP1_POD, "app", "v1", APP1_IP);
        objects.pod(APP2_POD, "app", "v2", APP2_IP);
        clusterIp = objects.service("app");
        objects.endpoints("app", APP_PORT, Map.of(APP1_POD, APP1_IP));
        discovery = DiscoveryProcess.start(ThisJvm.launcher(), ApiServer.kubeconfigFile(), TrafficObjects.CONTROL_PLANE_NAMESPACE,
                Path.of("target/traffic-discovery.log"));
        network = new PodNetwork();
        network.createNode();
        connectDiscovery();
        client = pod("client", CLIENT_POD, CLIENT_IP);
        app1 = pod("app1", APP1_POD, APP1_IP);
        app2 = pod("app2", APP2_POD, APP2_IP);
        network.hosts(client.namespace(), clusterIp + " " + FQDN + " app." + NAMESPACE + "\n");
        startApp(app1, "app-v1");
        startApp(app2, "app-v2");
        String external = network.addPod("ext", EXTERNAL_IP);
        startApp(external, "ext-http", TrafficObjects.SERVICE_PORT);
        startApp(external, "ext-tcp", EXTERNAL_TCP_PORT);
        discovery.awaitReady(READY_TIMEOUT);
        for (Sidecar sidecar : List.of(client, app1, app2)) {
            sidecar.start();
        }
        for (Sidecar sidecar : List.of(client, app1, app2)) {
            sidecar.awaitReady(READY_TIMEOUT);
        }
    }

    /** The proxies dial the node address; two relays carry that to the discovery server on the host's loopback. */
    private static void connectDiscovery() throws Exception {
        Path socket = network.socketDir().resolve("xds.sock");
        hostRelay = UnixSocketRelay.start(UnixDomainSocketAddress.of(socket), new InetSocketAddress("127.0.0.1", discovery.xdsPort()));
        Netns.awaitReadyLine(network.start(network.node(), "traffic-relay", List.of(), Map.of(),
                UnixSocketRelay.class.getName(), Sidecar.DISCOVERY_ADDRESS, socket.toString()), "traffic-relay");
    }

    private static Sidecar pod(String label, String podName, String ip) throws Exception {
        String namespace = network.addPod(label, ip);
        String rules = network.applyCaptureRules(namespace);
        System.out.println("[traffic] " + namespace + ": " + rules.lines().count() + " rule lines");
        return new Sidecar(network, namespace, podName, ip);
    }

    private static void startApp(Sidecar pod, String name) throws Exception {
        startApp(pod.namespace(), name, APP_PORT);
    }

    private static void startApp(String namespace, String name, int port) throws Exception {
        Netns.awaitReadyLine(network.start(namespace, "traffic-" + name, List.of(), Map.of(), EchoApp.class.getName(),
                String.valueOf(port), name), "traffic-" + name);
    }

    /** Every part is closed even when another fails to: a namespace left behind would outlive the test JVM. */
    @AfterAll
    static void tearDown() {
        closeQuietly(discovery);
        closeQuietly(hostRelay);
        closeQuietly(network);
        closeQuietly(objects == null ? null : objects::deleteNamespaces);
    }

    private static void closeQuietly(AutoCloseable part) {
        try {
            if (part != null) {
                part.close();
            }
        } catch (Exception e) {
            System.out.println("[traffic] tear-down: " + e);
        }
    }

    @Test
    @Order(1)
    void aCallToTheClusterIpCrossesBothSidecars() throws Exception {
        String response = client.curl("-i", "http://" + clusterIp + "/hello");
        System.out.println("[traffic] curl http://" + clusterIp + "/hello:\n" + response.indent(4));
        assertThat(response).startsWith("HTTP/1.1 200").containsPattern("(?i)x-envoy-upstream-service-time: \\d+")
                .contains("server=app-v1", "remote=127.0.0.6", "host: " + clusterIp);

        assertThat(client.prometheus()).containsPattern(requestsTotal("source", "app-v1", FQDN) + " [1-9]");
        assertThat(app1.prometheus()).containsPattern(requestsTotal("destination", "app-v1", clusterIp) + " [1-9]");
        assertThat(app1.admin("/stats")).containsPattern("windlass.inbound_rq_total: [1-9]");
    }

    /**
     * Istio's labels, in the proxy's order, for a 200. These sidecars have no mesh identity (plain-text xDS, no
     * CA), so they talk plain text and the server cannot know its client: the source is the client's own at the
     * client and unknown at the server (issue 20: a source is believed only from a certificate). The destination
     * workload is the Deployment's name on both sides (from the EDS metadata at the client, from its own pod name
     * at the server). The destination service differs: the client sidecar takes it from the cluster, the server
     * sidecar labels the Host it was called with.
     */
    private static String requestsTotal(String reporter, String destinationWorkload, String destinationService) {
        boolean client = reporter.equals("source");
        return "windlass_requests_total\\{reporter=\"" + reporter + "\",source_workload=\"" + (client ? "client" : "unknown")
                + "\",source_workload_namespace=\"" + (client ? NAMESPACE : "unknown") + "\",destination_workload=\""
                + destinationWorkload + "\",destination_workload_namespace=\"" + NAMESPACE + "\",destination_service=\""
                + destinationService.replace(".", "\\.") + "\",response_code=\"200\",source_principal=\"unknown\","
                + "connection_security_policy=\"" + (client ? "unknown" : "none") + "\"\\}";
    }

    @Test
    @Order(2)
    void aCallByNameResolvesThroughTheNamespaceHostsFile() throws Exception {
        String response = client.curl("-i", "http://" + FQDN + "/by-name");
        assertThat(response).startsWith("HTTP/1.1 200").containsPattern("(?i)x-envoy-upstream-service-time: \\d+")
                .contains("server=app-v1", "host: " + FQDN);
        assertThat(client.curl("-s", "-o", "/dev/null", "-w", "%{http_code}", "http://app." + NAMESPACE + "/short"))
                .isEqualTo("200");
    }

    @Test
    @Order(3)
    void oversizedHeadersAreRejectedWith431AndTheProxyCarriesOn() throws Exception {
        String big = "x-big: " + "a".repeat(70 * 1024);
        String code = client.curl("-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", big, "http://" + clusterIp + "/big");
        assertThat(code).isEqualTo("431");
        assertThat(client.admin("/stats")).containsPattern("windlass.downstream_rq_431: [1-9]");
        assertThat(client.curl("-s", "-o", "/dev/null", "-w", "%{http_code}", "http://" + clusterIp + "/after")).isEqualTo("200");
        assertThat(client.ready()).isTrue();
    }

    @Test
    @Order(4)
    void scalingToTwoEndpointsSpreadsRequestsOverBoth() throws Exception {
        objects.endpoints("app", APP_PORT, Map.of(APP1_POD, APP1_IP, APP2_POD, APP2_IP));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(client.admin("/clusters")).contains(APP1_IP + ":" + APP_PORT, APP2_IP + ":" + APP_PORT));
        int v1 = 0;
        int v2 = 0;
        for (int i = 0; i < 20; i++) {
            String body = client.curl("http://" + clusterIp + "/spread/" + i);
            v1 += body.contains("server=app-v1") ? 1 : 0;
            v2 += body.contains("server=app-v2") ? 1 : 0;
        }
        System.out.println("[traffic] 20 requests over two endpoints: app-v1 " + v1 + ", app-v2 " + v2);
        assertThat(v1 + v2).isEqualTo(20);
        assertThat(v1).as("app-v1").isGreaterThanOrEqualTo(5);
        assertThat(v2).as("app-v2").isGreaterThanOrEqualTo(5);
        assertThat(app2.prometheus()).containsPattern(requestsTotal("destination", "app-v2", clusterIp) + " [1-9]");
        assertThat(client.prometheus()).containsPattern(requestsTotal("source", "app-v2", FQDN) + " [1-9]");
        saveAdminPages();
    }

    /** The CLI's proxy-config tests parse what real proxies serve; this run's pages are kept for them. */
    private static void saveAdminPages() throws Exception {
        Files.createDirectories(Path.of("target/traffic"));
        for (Sidecar sidecar : List.of(client, app1)) {
            String name = sidecar == client ? "client" : "server";
            Files.writeString(Path.of("target/traffic/" + name + "-config_dump.json"), sidecar.admin("/config_dump"));
            Files.writeString(Path.of("target/traffic/" + name + "-clusters.txt"), sidecar.admin("/clusters"));
        }
    }

    /**
     * The outbound traffic policy and ServiceEntries: under ALLOW_ANY an unknown address passes; under REGISTRY_ONLY
     * HTTP on a port the mesh routes by Host answers 502 and any other connection is closed; ServiceEntries (an
     * HTTP host with a STATIC endpoint, a TCP address) let exactly those through, from the client pod's address.
     */
    @Test
    @Order(5)
    void registryOnlyRefusesUnknownDestinationsUntilServiceEntriesRegisterThem() throws Exception {
        String tcp = "http://" + EXTERNAL_IP + ":" + EXTERNAL_TCP_PORT + "/tcp";
        String[] http = {"-H", "Host: ext.example.com", "http://" + EXTERNAL_IP + "/http"};
        assertThat(client.curl(tcp)).as("ALLOW_ANY: PassthroughCluster").contains("server=ext-tcp");
        objects.outboundTrafficPolicy("REGISTRY_ONLY");
        await().atMost(Duration.ofSeconds(30)).until(() -> status(http).equals("502"));
        assertThat(client.curl(tcp)).as("BlackHoleCluster closes the connection: curl's empty reply or reset")
                .containsPattern("exit (52|56)").doesNotContain("server=ext-tcp");

        objects.applyIstio(TrafficObjects.serviceEntries(EXTERNAL_IP, EXTERNAL_TCP_PORT));
        await().atMost(Duration.ofSeconds(30)).until(() -> status(http).equals("200"));
        assertThat(client.curl(http)).contains("server=ext-http", "remote=" + CLIENT_IP, "host: ext.example.com");
        await().atMost(Duration.ofSeconds(30)).until(() -> client.curl(tcp).contains("server=ext-tcp"));
        assertThat(status("-H", "Host: other.example.com", "http://" + EXTERNAL_IP + "/other"))
                .as("only the registered host passes").isEqualTo("502");

        objects.deleteServiceEntry("ext-http");
        objects.deleteServiceEntry("ext-tcp");
        await().atMost(Duration.ofSeconds(30)).until(() -> status(http).equals("502"));
        objects.outboundTrafficPolicy("ALLOW_ANY");
        await().atMost(Duration.ofSeconds(30)).until(() -> client.curl(tcp).contains("server=ext-tcp"));
    }

    private static String status(String... args) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of("-s", "-o", "/dev/null", "-w", "%{http_code}"));
        all.addAll(List.of(args));
        return client.curl(all.toArray(String[]::new));
    }

    @Test
    @Order(6)
    void aNackedPushIsReportedInSynczAndTheProxyKeepsItsConfig() throws Exception {
        objects.service("broken");
        objects.endpoints("broken", 0, Map.of("broken-0", "10.251.1.9"));
        JsonNode eds = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> edsStatus(client.pod()), s -> s != null && s.has("last_nack"));
        System.out.println("[traffic] syncz EDS status of " + client.pod() + ": " + eds);
        assertThat(eds.path("synced").asBoolean()).isFalse();
        assertThat(eds.path("last_nack").path("message").asText()).contains("broken." + NAMESPACE, "port");
        assertThat(discovery.metrics()).containsPattern("windlass_discovery_nacks_total\\{type=\"eds\"} [1-9]");
        assertThat(client.curl("-s", "-o", "/dev/null", "-w", "%{http_code}", "http://" + clusterIp + "/still")).isEqualTo("200");
        assertThat(client.admin("/clusters")).contains(APP1_IP + ":" + APP_PORT, APP2_IP + ":" + APP_PORT)
                .doesNotContain("10.251.1.9");
        assertThat(client.admin("/stats")).containsPattern("control_plane.nack: [1-9]")
                .containsPattern("control_plane.last_nack: EDS \\S+: endpoints of outbound\\|80\\|\\|broken\\.");

        objects.deleteEndpoints("broken");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> edsStatus(client.pod()).path("synced").asBoolean());
    }

    /** The EDS entry of /debug/syncz for the proxy of this pod. */
    private static JsonNode edsStatus(String pod) throws Exception {
        for (JsonNode proxy : JSON.readTree(discovery.syncz())) {
            if (proxy.path("proxy").asText().contains("~" + pod + "." + NAMESPACE + "~")) {
                return proxy.path("types").path(EDS_TYPE);
            }
        }
        return null;
    }

    @Test
    @Order(7)
    void killingTheDiscoveryServerLeavesTrafficFlowing() throws Exception {
        discovery.kill();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.prometheus().contains("windlass_proxy_xds_connected 0"));
        for (int i = 0; i < 10; i++) {
            String response = client.curl("-i", "http://" + clusterIp + "/after-kill/" + i);
            assertThat(response).startsWith("HTTP/1.1 200").containsPattern("server=app-v[12]");
            Thread.sleep(100);
        }
        assertThat(client.ready()).isTrue();
        assertThat(app1.ready()).isTrue();
    }
}
