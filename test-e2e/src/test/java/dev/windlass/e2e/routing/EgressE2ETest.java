package dev.windlass.e2e.routing;

import dev.windlass.e2e.MeshInstall;
import dev.windlass.e2e.WindlassCli;
import dev.windlass.e2e.cluster.ClusterProvider;
import dev.windlass.e2e.cluster.MeshImages;
import dev.windlass.e2e.cluster.TestCluster;
import dev.windlass.testsupport.tls.TestPki;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
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

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tier 3, Istio's egress tasks on the real cluster, on a mesh of its own whose
 * {@code meshConfig.outboundTrafficPolicy.mode} is REGISTRY_ONLY (it is mesh-wide, so no other test's mesh sees it).
 * The "external" servers are a hostNetwork pod outside the mesh on free host ports: httpbin (it logs each request's
 * TCP peer), the same over HTTPS with a certificate from the test's CA, and tcp-echo. Never the internet. From a mesh
 * pod: an unregistered address answers 502 over HTTP and closes over TCP; after the ServiceEntries (a DNS name the
 * sidecar resolves itself, an address) both pass; with Istio's egress gateway pattern, for HTTP and for TLS passed
 * through by SNI, the server sees the egress gateway pod's address, not the client's. Istio's egress TLS origination:
 * plain HTTP from the app on port 80, TLS from its sidecar to the external HTTPS server.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EgressE2ETest {
    private static final Logger LOG = LoggerFactory.getLogger(EgressE2ETest.class);
    private static final String MESH = "egress-mesh";
    private static final String MESH_NAMESPACE = "windlass-system";
    private static final String APPS = "egress-apps";
    private static final String EXTERNAL = "egress-external";
    private static final String HOST = "external.windlass.test";
    private static final String TLS_HOST = "secure.windlass.test";
    /** Step 5's host: a second name of the external TLS server's certificate. */
    private static final String ORIGIN_HOST = "origin.windlass.test";
    private static final String CA_FILE = "/etc/external-ca/ca.crt";
    private static final Duration CONVERGE = Duration.ofSeconds(30);
    private static TestCluster cluster;
    private static KubernetesClient client;
    private static MeshApps apps;
    private static Map<String, String> values;
    private static TestPki.Issued tlsServer;

    @BeforeAll
    static void installMeshAndServers() throws Exception {
        cluster = ClusterProvider.get();
        MeshImages.load(cluster, MeshImages.BOOKINFO);
        client = cluster.client();
        apps = new MeshApps(client);
        MeshInstall.install(cluster, MESH, """
                version: "0.2.0"
                profile: demo
                meshConfig: {outboundTrafficPolicy: {mode: REGISTRY_ONLY}}
                addons: {prometheus: {enabled: false}, grafana: {enabled: false}, tracing: {enabled: false}, kiali: {enabled: false}}
                """, "300s");
        int httpPort = freeHostPort();
        int tlsPort = freeHostPort();
        int tcpPort = freeHostPort();
        client.resource(new NamespaceBuilder().withNewMetadata().withName(EXTERNAL).endMetadata().build()).serverSideApply();
        apps.injectedNamespace(APPS);
        tlsSecrets();
        apps.applyYaml(EXTERNAL, fill(resource("external-server.yaml"), Map.of(
                "HTTP_PORT", String.valueOf(httpPort), "TLS_PORT", String.valueOf(tlsPort), "TCP_PORT", String.valueOf(tcpPort))));
        apps.applyYaml(APPS, fill(resource("mesh-client.yaml"), Map.of("HTTP_PORT", String.valueOf(httpPort))));
        apps.awaitDeployments(EXTERNAL);
        apps.awaitDeployments(APPS);
        String nodeIp = apps.pod(EXTERNAL, "external").getStatus().getPodIP();
        values = Map.of("HTTP_PORT", String.valueOf(httpPort), "TLS_PORT", String.valueOf(tlsPort),
                "TCP_PORT", String.valueOf(tcpPort), "NODE_IP", nodeIp,
                // CoreDNS's pod records ("pods insecure"): a DNS name for the node's address that is no Service.
                "NODE_DNS_NAME", nodeIp.replace('.', '-') + "." + EXTERNAL + ".pod.cluster.local",
                "MESH_NAMESPACE", MESH_NAMESPACE);
        LOG.info("external servers on {}: http {}, https {}, tcp {}", nodeIp, httpPort, tlsPort, tcpPort);
    }

    /** The external TLS server's identity (from a CA of this run) and the mesh client's trust in that CA. */
    private static void tlsSecrets() throws Exception {
        TestPki.Issued ca = TestPki.ca("egress e2e CA");
        tlsServer = TestPki.server(ca, TLS_HOST, ORIGIN_HOST);
        client.secrets().inNamespace(EXTERNAL).resource(new SecretBuilder().withNewMetadata().withName("external-tls").endMetadata()
                .addToData("keystore.p12", Base64.getEncoder().encodeToString(tlsServer.pkcs12())).build()).serverSideApply();
        client.secrets().inNamespace(APPS).resource(new SecretBuilder().withNewMetadata().withName("external-ca").endMetadata()
                .addToStringData("ca.crt", ca.certificatePem()).build()).serverSideApply();
    }

    private static String resource(String name) throws IOException {
        try (var in = EgressE2ETest.class.getResourceAsStream("/egress/" + name)) {
            if (in == null) {
                throw new IOException("no test resource egress/" + name);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** A port nothing on this host listens on now (the hostNetwork pod takes it next). */
    private static int freeHostPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String fill(String template, Map<String, String> with) {
        String text = template;
        for (Map.Entry<String, String> e : with.entrySet()) {
            text = text.replace(e.getKey(), e.getValue());
        }
        return text;
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (client == null) {
            return;
        }
        for (String ns : List.of(APPS, EXTERNAL)) {
            client.namespaces().withName(ns).delete();
        }
        MeshInstall.purge(cluster, MESH, "180s");
    }

    private static String url(String path) {
        return "http://" + values.get("NODE_IP") + ":" + values.get("HTTP_PORT") + path;
    }

    /**
     * {@code load curl} in the mesh pod, to the external server's address with {@code Host: external.windlass.test},
     * as a client that resolved the name would send it (without the port, so that the egress gateway's port-80
     * virtual host matches it too).
     */
    private static MeshApps.Exec curl(String path) throws Exception {
        return apps.load(APPS, "load-client", "curl", "-H", "Host: " + HOST, url(path));
    }

    private static int status(MeshApps.Exec exec) {
        Matcher m = Pattern.compile("^HTTP/1.1 (\\d+)").matcher(exec.out());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The TCP peer the external httpbin saw for requests to {@code path}, from its log. */
    private static List<String> peers(String path) {
        return peers("httpbin", path);
    }

    /** The TCP peer that the external httpbin in {@code container} saw for requests to {@code path}, from its log. */
    private static List<String> peers(String container, String path) {
        Pod pod = apps.pod(EXTERNAL, "external");
        String log = client.pods().inNamespace(EXTERNAL).withName(pod.getMetadata().getName()).inContainer(container).getLog();
        Matcher m = Pattern.compile("GET " + Pattern.quote(path) + " Host: \\S+ from (\\S+)").matcher(log);
        List<String> peers = new java.util.ArrayList<>();
        while (m.find()) {
            peers.add(m.group(1));
        }
        return peers;
    }

    /**
     * {@code load curl https://secure.windlass.test/PATH} in the mesh pod: the app does TLS itself (SNI and the
     * certificate's name: the host), connecting to the external server's address on 443 as a client that resolved
     * the name would, and trusting {@code trust} (the test CA's file) when given.
     */
    private static MeshApps.Exec https(String path, String... trust) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("curl", "-resolve", values.get("NODE_IP")));
        args.addAll(List.of(trust));
        args.add("https://" + TLS_HOST + path);
        return apps.load(APPS, "load-client", args.toArray(String[]::new));
    }

    private static String egressGatewayPodIp() {
        return client.pods().inNamespace(MESH_NAMESPACE).withLabel("istio", "egressgateway").list().getItems()
                .getFirst().getStatus().getPodIP();
    }

    private static String tcp() throws Exception {
        return apps.load(APPS, "load-client", "tcp", "-n", "3", values.get("NODE_IP") + ":" + values.get("TCP_PORT"), "hello").out();
    }

    @Test
    @Order(1)
    void underRegistryOnlyAnUnregisteredAddressAnswers502OverHttpAndClosesOverTcp() throws Exception {
        MeshApps.Exec blocked = curl("/anything/blocked");
        LOG.info("unregistered, HTTP:\n{}", blocked.out());
        assertThat(status(blocked)).as("Envoy's block_all route").isEqualTo(502);
        assertThat(peers("/anything/blocked")).as("nothing reached the server").isEmpty();
        String closed = tcp();
        LOG.info("unregistered, TCP:\n{}", closed);
        assertThat(closed).as("BlackHoleCluster closes every connection").contains("(error): 3");
    }

    @Test
    @Order(2)
    void afterServiceEntriesTheSameCallsSucceedAndTheSidecarResolvedTheNameItself() throws Exception {
        apps.applyIstio(APPS, fill(resource("service-entries.yaml"), values));
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2)).until(() -> status(curl("/anything/probe")) == 200);
        MeshApps.Exec allowed = curl("/anything/allowed");
        assertThat(status(allowed)).isEqualTo(200);
        String client = apps.pod(APPS, "load-client").getStatus().getPodIP();
        assertThat(peers("/anything/allowed")).as("the client's sidecar connects itself").containsExactly(client);
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2)).until(() -> tcp().contains("external: 3"));
        String clusters = WindlassCli.run(cluster, "proxy-config", "clusters", apps.pod(APPS, "load-client").getMetadata().getName(),
                "-n", APPS).output();
        LOG.info("client proxy clusters:\n{}", clusters);
        assertThat(clusters).contains(HOST).contains("STRICT_DNS");
    }

    @Test
    @Order(3)
    void throughTheEgressGatewayTheServerSeesTheGatewayPodsAddress() throws Exception {
        apps.applyIstio(APPS, fill(resource("egress-gateway.yaml"), values));
        String gateway = egressGatewayPodIp();
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2)).until(() -> {
            curl("/anything/gateway-probe");
            return peers("/anything/gateway-probe").contains(gateway);
        });
        for (int i = 0; i < 5; i++) {
            assertThat(status(curl("/anything/via-gateway"))).isEqualTo(200);
        }
        assertThat(peers("/anything/via-gateway")).as("every request left through the egress gateway")
                .hasSize(5).containsOnly(gateway);
    }

    @Test
    @Order(4)
    void tlsPassesThroughTheEgressGatewayBySniAndTheClientVerifiesTheExternalServer() throws Exception {
        MeshApps.Exec blocked = https("/anything/tls-blocked", "-cacert", CA_FILE);
        LOG.info("unregistered TLS host: exit {}, {}", blocked.code(), blocked.err().strip());
        assertThat(blocked.code()).as("REGISTRY_ONLY: BlackHoleCluster closes the connection").isEqualTo(1);

        apps.applyIstio(APPS, fill(resource("egress-gateway-tls.yaml"), values));
        String gateway = egressGatewayPodIp();
        long applied = System.nanoTime();
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2))
                .until(() -> https("/anything/tls-probe", "-cacert", CA_FILE).code() == 0);
        LOG.info("TLS through the egress gateway {} ms after the apply", Duration.ofNanos(System.nanoTime() - applied).toMillis());
        for (int i = 0; i < 5; i++) {
            MeshApps.Exec call = https("/anything/via-gateway-tls", "-cacert", CA_FILE);
            assertThat(status(call)).isEqualTo(200);
            assertThat(call.err()).as("the client verified the external server's own certificate: the sidecar did not terminate")
                    .contains("server certificate serial " + tlsServer.serial().toString(16) + ", subject ", "CN=" + TLS_HOST,
                            "verified for " + TLS_HOST + " against -cacert " + CA_FILE);
            if (i == 0) {
                LOG.info("through the egress gateway, TLS:\n{}{}", call.err(), call.out());
            }
        }
        assertThat(peers("httpbin-tls", "/anything/via-gateway-tls")).as("every connection left through the egress gateway")
                .hasSize(5).containsOnly(gateway);
        MeshApps.Exec untrusted = https("/anything/tls-untrusted");
        assertThat(untrusted.code()).as("without the test CA the client refuses the external server").isEqualTo(1);
        assertThat(untrusted.err()).contains("PKIX");
    }

    /** Plain HTTP from the app to port 80 of the node's address, with {@code Host: origin.windlass.test}. */
    private static MeshApps.Exec originated(String path) throws Exception {
        return apps.load(APPS, "load-client", "curl", "-H", "Host: " + ORIGIN_HOST,
                "http://" + values.get("NODE_IP") + ":80" + path);
    }

    @Test
    @Order(5)
    void theSidecarOriginatesTlsForPlainHttpAndVerifiesTheServerAgainstTheSystemRoots() throws Exception {
        apps.applyIstio(APPS, fill(resource("tls-origination.yaml"), values));
        // 502 (block_all) until the entry arrives, 503 no healthy upstream until its name is resolved.
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2)).until(() -> originated("/anything/origin-probe").out()
                .contains("upstream connect error or disconnect/reset before headers"));
        MeshApps.Exec unverified = originated("/anything/origin-unverified");
        LOG.info("TLS origination, the test CA not among the system roots:\n{}", unverified.out());
        assertThat(status(unverified)).isEqualTo(503);
        assertThat(unverified.out()).as("a refused certificate is a connect failure")
                .contains("upstream connect error or disconnect/reset before headers");
        assertThat(peers("httpbin-tls", "/anything/origin-unverified")).as("no request reached the server").isEmpty();

        apps.applyIstio(APPS, fill(resource("tls-origination-insecure.yaml"), values));
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2)).until(() -> status(originated("/anything/origin-probe")) == 200);
        for (int i = 0; i < 5; i++) {
            MeshApps.Exec call = originated("/anything/originated");
            assertThat(status(call)).isEqualTo(200);
            if (i == 0) {
                LOG.info("TLS originated by the sidecar:\n{}", call.out());
            }
        }
        String clientIp = apps.pod(APPS, "load-client").getStatus().getPodIP();
        assertThat(peers("httpbin-tls", "/anything/originated")).as("the HTTPS server got them, from the client's sidecar")
                .hasSize(5).containsOnly(clientIp);
        assertThat(peers("httpbin", "/anything/originated")).as("nothing went to the plain server").isEmpty();
    }
}
