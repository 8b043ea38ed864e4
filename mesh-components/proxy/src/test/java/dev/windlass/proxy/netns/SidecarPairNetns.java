package dev.windlass.proxy.netns;

import dev.windlass.proxy.Main;
import dev.windlass.proxy.net.TransportKind;
import dev.windlass.proxy.testing.WebSocketEchoUpstream;
import dev.windlass.testsupport.netns.EchoApp;
import dev.windlass.testsupport.netns.Netns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.windlass.proxy.netns.NetnsMesh.CLIENT_IP;
import static dev.windlass.proxy.netns.NetnsMesh.CLUSTER_IP;
import static dev.windlass.proxy.netns.NetnsMesh.SERVER_IP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real capture path: two pod network namespaces joined by a veth pair, each with the init program's iptables
 * rules and a sidecar proxy (the real {@code Main sidecar}, a separate JVM running with GID 1337 as injected
 * sidecars do). A test ADS server runs in the client pod. curl in the client pod calls the service's ClusterIP;
 * netfilter redirects it to the client sidecar's 15001, which learns 10.251.0.10:80 from SO_ORIGINAL_DST, routes
 * it to the server pod's endpoint; there netfilter redirects it to the server sidecar's 15006, which learns
 * 10.251.1.2:8080 and forwards to the app on 127.0.0.1:8080 from 127.0.0.6. A plain TCP exchange to port 9000
 * takes the passthrough chains on both sides. One subclass per transport the sidecars run (PROXY_TRANSPORT).
 * Skipped, with the reason, where namespaces cannot be made or the transport does not load; the namespaces are
 * deleted afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class SidecarPairNetns {
    private static final int TCP_PORT = 9000;
    private static final String PROMETHEUS = "http://127.0.0.1:15090/stats/prometheus";
    private final Netns netns = new Netns();
    private final Map<String, String> transportSetting;
    private final TransportKind expected;
    private String skipReason;
    private String client;
    private String server;

    /** {@code transportSetting}: the sidecars' PROXY_TRANSPORT, if any; {@code expected}: what they must then run. */
    SidecarPairNetns(Map<String, String> transportSetting, TransportKind expected) {
        this.transportSetting = transportSetting;
        this.expected = expected;
    }

    /** Why the transport cannot run here, or null. */
    abstract String transportMissing();

    @BeforeAll
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void setUp() throws Exception {
        skipReason = Netns.missingPrerequisite("ip", "iptables-restore", "setpriv", "curl");
        if (skipReason == null) {
            skipReason = transportMissing();
        }
        if (skipReason != null) {
            System.out.println("[netns] skipping " + getClass().getSimpleName() + ": " + skipReason);
            return;
        }
        String suffix = Long.toHexString(System.nanoTime()).substring(4);
        client = netns.create("wl-cli-" + suffix);
        server = netns.create("wl-srv-" + suffix);
        netns.exec(client, "ip", "link", "add", "wlcli0", "type", "veth", "peer", "name", "wlsrv0", "netns", server);
        netns.exec(client, "ip", "addr", "add", CLIENT_IP + "/24", "dev", "wlcli0");
        netns.exec(client, "ip", "link", "set", "wlcli0", "up");
        netns.exec(server, "ip", "addr", "add", SERVER_IP + "/24", "dev", "wlsrv0");
        netns.exec(server, "ip", "link", "set", "wlsrv0", "up");
        netns.exec(client, "ip", "route", "add", "10.251.0.0/24", "via", SERVER_IP);
        // The init program, as the init container runs it; the client pod also hosts the ADS server on 15010.
        System.out.println("[netns] init client: " + netns.exec(client, Map.of("EXCLUDE_INBOUND_PORTS", "15010"),
                javaInit()).lines().count() + " rule lines");
        System.out.println("[netns] init server: " + netns.exec(server, Map.of(), javaInit()).lines().count() + " rule lines");
        startApps();
        startSidecar(client, "client-5d8f7c9b4d-x7k2p", CLIENT_IP, "127.0.0.1:15010");
        startSidecar(server, "app-6c9d8b7f5c-q2w4r", SERVER_IP, CLIENT_IP + ":15010");
        awaitReady(client);
        awaitReady(server);
    }

    /** The ADS server in the client pod; the HTTP app, the TCP server and the WebSocket app in the server pod. */
    private void startApps() throws Exception {
        Netns.awaitReadyLine(netns.start(client, label("ads"), List.of(), Map.of(), NetnsMesh.class.getName(), "15010"),
                label("ads"));
        Netns.awaitReadyLine(netns.start(server, label("app"), List.of(), Map.of(), EchoApp.class.getName(), "8080"),
                label("app"));
        Netns.awaitReadyLine(netns.start(server, label("tcp"), List.of(), Map.of(), HalfCloseTcp.class.getName(),
                "serve", String.valueOf(TCP_PORT)), label("tcp"));
        Netns.awaitReadyLine(netns.start(server, label("ws"), List.of(), Map.of(), WebSocketEchoUpstream.class.getName(),
                String.valueOf(NetnsMesh.WS_APP_PORT)), label("ws"));
        Netns.awaitReadyLine(netns.start(server, label("grpc"), List.of(), Map.of(), GrpcStreams.class.getName(),
                "serve", String.valueOf(NetnsMesh.GRPC_APP_PORT)), label("grpc"));
    }

    /** Log labels per transport, so that one subclass's logs do not overwrite another's. */
    private String label(String process) {
        return expected.settingValue() + "-" + process;
    }

    private static String[] java(String mainClass, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return command.toArray(String[]::new);
    }

    private static String[] javaInit() {
        return java(Main.class.getName(), "init");
    }

    private void startSidecar(String namespace, String pod, String ip, String discovery) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("POD_NAME", pod, "POD_NAMESPACE", "test", "INSTANCE_IP", ip,
                "DISCOVERY_ADDRESS", discovery, "PROXY_LOG_LEVEL", "debug"));
        env.putAll(transportSetting);
        // GID 1337 is what the rules exempt; the UID stays root only so that it can read the class path.
        netns.start(namespace, label("proxy-" + pod.split("-")[0]),
                List.of("setpriv", "--regid", "1337", "--clear-groups"), env, Main.class.getName(), "sidecar");
    }

    private void awaitReady(String namespace) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String code = curl(namespace, "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:15021/healthz/ready");
            if (code.equals("200")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(namespace + " sidecar not ready; see target/netns-" + label("proxy-*.log"));
    }

    private String curl(String namespace, String... args) throws Exception {
        String[] command = new String[args.length + 3];
        command[0] = "curl";
        command[1] = "-s";
        command[2] = "-m10";
        System.arraycopy(args, 0, command, 3, args.length);
        try {
            return netns.exec(namespace, command);
        } catch (IllegalStateException e) {
            return "curl failed: " + e.getMessage();
        }
    }

    @BeforeEach
    void requirePrerequisites() {
        assumeTrue(skipReason == null, skipReason);
    }

    @AfterAll
    void tearDown() {
        netns.cleanUp();
    }

    @Test
    void aCallToTheClusterIpCrossesBothSidecars() throws Exception {
        String response = curl(client, "-i", "http://" + CLUSTER_IP + "/hello");
        System.out.println("[netns] curl http://" + CLUSTER_IP + "/hello:\n" + response.indent(4));
        assertThat(response).startsWith("HTTP/1.1 200").containsPattern("(?i)x-envoy-upstream-service-time: \\d+")
                .doesNotContainIgnoringCase("x-windlass-peer-workload");
        // What the app saw: the server sidecar on 127.0.0.6, the mesh headers, the peer headers already stripped.
        assertThat(response).contains("remote=127.0.0.6", "x-forwarded-proto: http", "host: " + CLUSTER_IP)
                .containsPattern("x-request-id: [0-9a-f-]{36}");

        // A request's metrics are recorded just after its response was flushed: curl may ask first.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(curl(client, PROMETHEUS)).contains(
                "windlass_requests_total{reporter=\"source\",source_workload=\"client\","
                + "source_workload_namespace=\"test\",destination_workload=\"app\",destination_workload_namespace=\"test\","
                + "destination_service=\"app.test.svc.cluster.local\",response_code=\"200\",source_principal=\"unknown\","
                + "connection_security_policy=\"unknown\"} 1"));
        // These sidecars have no mesh identity (plain-text xDS, no CA): the server cannot know its client.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(curl(server, PROMETHEUS)).contains(
                "windlass_requests_total{reporter=\"destination\",source_workload=\"unknown\","
                + "source_workload_namespace=\"unknown\",destination_workload=\"app\",destination_workload_namespace=\"test\""));
    }

    @Test
    void aCallToAnUnknownDestinationPassesThroughAndIsStillCapturedInbound() throws Exception {
        String response = curl(client, "-i", "http://" + SERVER_IP + ":8080/direct");
        assertThat(response).startsWith("HTTP/1.1 200").contains("remote=127.0.0.6");
        assertThat(curl(client, "http://127.0.0.1:15000/stats")).containsPattern("windlass.passthrough_cx_total: [1-9]");
        assertThat(curl(server, "http://127.0.0.1:15000/stats")).containsPattern("windlass.inbound_rq_total: [1-9]");
    }

    @Test
    void bothSidecarsRunTheTransportAskedFor() throws Exception {
        for (String namespace : List.of(client, server)) {
            assertThat(curl(namespace, "http://127.0.0.1:15000/server_info"))
                    .contains("\"transport\": \"" + expected.settingValue() + "\"", "\"state\": \"LIVE\"");
        }
    }

    /**
     * A TCP connection to a port no listener knows: the client sidecar relays it to its original destination
     * (PassthroughCluster), the server sidecar to the app (InboundPassthroughCluster, from 127.0.0.6); the app
     * answers only after the client's FIN, so the reply proves the half-close crossed both relays.
     */
    @Test
    void aTcpConnectionCrossesBothSidecarsWithItsHalfClose() throws Exception {
        String reply = netns.exec(client, java(HalfCloseTcp.class.getName(), "call", SERVER_IP,
                String.valueOf(TCP_PORT), "ping over tcp"));
        assertThat(reply).isEqualTo("remote=127.0.0.6 PING OVER TCP");
        assertThat(curl(client, "http://127.0.0.1:15000/stats")).containsPattern("windlass.passthrough_cx_total: [1-9]");
    }

    /**
     * A WebSocket to the service's port 81: the client sidecar forwards the upgrade (outbound), the server sidecar
     * too (inbound), the app's 101 comes back through both, then messages echo through both tunnels in order and
     * the close frame ends every connection.
     */
    @Test
    void aWebSocketCrossesBothSidecars() throws Exception {
        String reply = netns.exec(client, java(WebSocketCall.class.getName(), CLUSTER_IP, "81", "1000"));
        assertThat(reply).isEqualTo("echoed 1000 in order, close frame relayed, closed");
        for (String namespace : List.of(client, server)) {
            assertThat(curl(namespace, "http://127.0.0.1:15000/stats"))
                    .containsPattern("windlass.downstream_cx_upgrades_total: [1-9]");
        }
    }

    /**
     * A gRPC bidirectional stream to the service's port 82 (h2c from the app to its sidecar, between the sidecars
     * and to the server app): 200 messages over 10 s on one stream, each echoed back in order, the stream completed.
     */
    @Test
    void aGrpcBidirectionalStreamCrossesBothSidecarsWithNoMessageLost() throws Exception {
        String reply = netns.exec(client, java(GrpcStreams.class.getName(), "call", CLUSTER_IP + ":82", "200", "10"));
        assertThat(reply).contains("sent 200, echoed 200 in order, stream completed");
    }

    @Test
    void theAdminShowsTheConfigAndTheEndpoints() throws Exception {
        assertThat(curl(client, "http://127.0.0.1:15000/clusters"))
                .contains(NetnsMesh.APP + "::" + SERVER_IP + ":8080::health_flags::healthy");
        assertThat(curl(client, "http://127.0.0.1:15000/config_dump"))
                .contains("\"dynamic_listeners\"", "\"name\": \"virtualOutbound\"", "\"route_config_name\": \"80\"");
    }
}
