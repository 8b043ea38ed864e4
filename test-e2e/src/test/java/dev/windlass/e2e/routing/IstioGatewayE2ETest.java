package dev.windlass.e2e.routing;

import dev.windlass.e2e.MeshInstall;
import dev.windlass.e2e.WindlassCli;
import dev.windlass.e2e.cluster.ClusterProvider;
import dev.windlass.e2e.cluster.MeshImages;
import dev.windlass.e2e.cluster.NodePorts;
import dev.windlass.e2e.cluster.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tier 3, issue 18's gateway scenarios on the real cluster with the seeds' YAML applied unchanged: one demo mesh,
 * one namespace per scenario. Requests come from this JVM on the host, through the ingress gateway's NodePort
 * found by Istio's port name ({@code http2}, {@code tcp}) on the node's address, as the seeds' commands do: the
 * app-gateway canary (myapp v1/v2 50/50 over 1,000 requests) and TCP traffic shifting through port 31400 (80/20
 * over 1,000 connections); then {@code proxy-config route --name=http.80} on the gateway pod and
 * {@code windlass analyze} for a VirtualService bound to a missing Gateway and a Gateway that selects no pod.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IstioGatewayE2ETest {
    private static final Logger LOG = LoggerFactory.getLogger(IstioGatewayE2ETest.class);
    private static final String MESH = "gateway-mesh";
    private static final String MESH_NAMESPACE = "windlass-system";
    private static final String INGRESS = "windlass-ingressgateway";
    private static final String MYAPP = "gateway-myapp";
    private static final String TCP = "gateway-tcp";
    private static final String ANALYSIS = "gateway-analysis";
    private static final Duration CONVERGE = Duration.ofSeconds(90);
    private static TestCluster cluster;
    private static KubernetesClient client;
    private static MeshApps apps;
    private static String node;

    @BeforeAll
    static void installMeshAndApps() throws Exception {
        cluster = ClusterProvider.get();
        MeshImages.load(cluster, MeshImages.BOOKINFO, "samples/target/images/myapp-v1.tar", "samples/target/images/myapp-v2.tar");
        client = cluster.client();
        apps = new MeshApps(client);
        MeshApps.installDemoMesh(cluster, MESH);
        for (String ns : List.of(MYAPP, TCP)) {
            apps.injectedNamespace(ns);
        }
        apps.apply(MYAPP, "samples/istio-seeds/myapp.yaml");
        apps.apply(TCP, "samples/tcp-echo/tcp-echo.yaml");
        for (String ns : List.of(MYAPP, TCP)) {
            apps.awaitDeployments(ns);
        }
        node = NodePorts.nodeAddress(client);
        LOG.info("the node's address: {}", node);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (client == null) {
            return;
        }
        for (String ns : List.of(MYAPP, TCP, ANALYSIS)) {
            client.namespaces().withName(ns).delete();
        }
        MeshInstall.purge(cluster, MESH, "180s");
    }

    /** The seeds' app-gateway.yaml: myapp v1/v2 50/50 from outside the cluster, through the NodePort of http2. */
    @Test
    @Order(1)
    void theAppGatewaySplitsMyappHalfAndHalfFromTheHost() throws Exception {
        apps.applyIstio(MYAPP, MeshApps.seed("app-gateway.yaml"));
        URI uri = URI.create("http://" + node + ":" + nodePort("http2") + "/");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                .until(() -> servedBy(http, uri).startsWith("myapp-"));
        Map<String, Integer> counts = new TreeMap<>();
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            counts.merge(servedBy(http, uri), 1, Integer::sum);
        }
        LOG.info("myapp through the gateway, 1000 requests in {} ms: {}", (System.nanoTime() - start) / 1_000_000, counts);
        assertThat(counts.keySet()).containsOnly("myapp-v1", "myapp-v2");
        assertThat(counts.get("myapp-v1") / 10.0).as("myapp v1 share, %").isBetween(45.0, 55.0);
        assertThat(counts.get("myapp-v2") / 10.0).as("myapp v2 share, %").isBetween(45.0, 55.0);
    }

    private static String servedBy(HttpClient http, URI uri) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        String servedBy = response.headers().firstValue("x-served-by").orElse("-");
        return response.statusCode() == 200 ? servedBy : "status " + response.statusCode() + " " + servedBy;
    }

    @Test
    @Order(2)
    void proxyConfigShowsTheGatewaysHttp80Routes() throws Exception {
        Pod gateway = client.pods().inNamespace(MESH_NAMESPACE).withLabel("istio", "ingressgateway").list().getItems().getFirst();
        WindlassCli.Result routes = WindlassCli.run(cluster, "proxy-config", "route", gateway.getMetadata().getName(),
                "-n", MESH_NAMESPACE, "--name=http.80");
        assertThat(routes.code()).isZero();
        assertThat(routes.output()).startsWith("NAME").contains("http.80   *:80")
                .contains("myapp." + MYAPP + ".svc.cluster.local:80|v1 50%, myapp." + MYAPP + ".svc.cluster.local:80|v2 50%")
                .doesNotContain("allow_any");
    }

    /** The seeds' tcp-echo-80-20.yaml: connections through gateway port 31400 go 80/20 to tcp-echo v1/v2. */
    @Test
    @Order(3)
    void tcpThroughGatewayPort31400Shifts80To20() throws Exception {
        apps.applyIstio(TCP, MeshApps.seed("tcp-echo-80-20.yaml"));
        int port = nodePort("tcp");
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                .until(() -> echo(port).endsWith(" hello"));
        Map<String, Integer> counts = new TreeMap<>();
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            counts.merge(echo(port).split(" ")[0], 1, Integer::sum);
        }
        LOG.info("tcp-echo through gateway port 31400, 1000 connections in {} ms: {}", (System.nanoTime() - start) / 1_000_000, counts);
        assertThat(counts.keySet()).containsOnly("one", "two");
        assertThat(counts.get("one") / 10.0).as("tcp-echo v1 share, %").isBetween(75.0, 85.0);
    }

    /** One connection: a line sent, the reply line ({@code one hello} from v1, {@code two hello} from v2). */
    private static String echo(int port) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(node, port), 2000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("hello\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
            return reply == null ? "(closed)" : reply;
        }
    }

    @Test
    @Order(4)
    void analyzeReportsAMissingGatewayAndAGatewayThatSelectsNoPod() throws Exception {
        apps.injectedNamespace(ANALYSIS);
        apps.applyIstio(ANALYSIS, """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: lonely}
                spec:
                  selector: {istio: no-such-gateway}
                  servers: [{port: {number: 8080, name: http, protocol: HTTP}, hosts: ["*"]}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: bound-to-ghost}
                spec:
                  hosts: [myapp.example.com]
                  gateways: [ghost-gateway]
                  http: [{route: [{destination: {host: myapp.%s.svc.cluster.local}}]}]
                """.formatted(MYAPP));
        WindlassCli.Result analyze = WindlassCli.run(cluster, "analyze", "-n", ANALYSIS);
        assertThat(analyze.code()).isEqualTo(79);
        assertThat(analyze.output())
                .contains("Error [IST0101] (Gateway " + ANALYSIS + "/lonely) Referenced selector not found: \"istio=no-such-gateway\"")
                .contains("Error [IST0101] (VirtualService " + ANALYSIS + "/bound-to-ghost) Referenced gateway not found: \"ghost-gateway\"");
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2)).until(() -> String.valueOf(client
                .genericKubernetesResources("networking.istio.io/v1", "Gateway").inNamespace(ANALYSIS).withName("lonely").get()
                .getAdditionalProperties().get("status")).contains("IST0101"));
    }

    private static int nodePort(String name) {
        return NodePorts.nodePort(client, MESH_NAMESPACE, INGRESS, name);
    }
}
