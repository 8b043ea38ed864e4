package dev.windlass.e2e.gateway;

import dev.windlass.e2e.MeshInstall;
import dev.windlass.e2e.WindlassCli;
import dev.windlass.e2e.cluster.ClusterProvider;
import dev.windlass.e2e.cluster.MeshImages;
import dev.windlass.e2e.cluster.NodePorts;
import dev.windlass.e2e.cluster.TestCluster;
import dev.windlass.testsupport.tls.TestPki;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Tier 3, issue 18's must-shows 2, 3 and 4 on the real cluster, the Gateways applied as Istio users write them,
 * clients on the host through the ingress gateway's NodePorts (Istio's port names http2 and https) on the node's address:
 * the seed's my-gateway (80 answers 301, 443 serves the mounted istio-ingressgateway-certs Secret, verified by the
 * client against its CA); credentialName with a Secret rotation seen within 30 s; MUTUAL; PASSTHROUGH by SNI to
 * two backends that terminate TLS themselves. One namespace per scenario; the Gateways merge on port 443.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayTlsE2ETest {
    private static final String MESH = "gateway-tls-mesh";
    private static final String SYSTEM = "windlass-system";
    private static final String GATEWAY = "windlass-ingressgateway";
    private static final List<String> NAMESPACES = List.of("gwtls-files", "gwtls-cred", "gwtls-mutual", "gwtls-passthrough");
    private static TestCluster cluster;
    private static KubernetesClient client;
    private static TestPki.Issued ca;
    /** The node's address: the local cluster's kube-proxy serves NodePorts there, not on 127.0.0.1. */
    private static String node;

    @BeforeAll
    static void installMesh() throws Exception {
        cluster = ClusterProvider.get();
        MeshImages.load(cluster, MeshImages.BOOKINFO);
        client = cluster.client();
        ca = TestPki.ca("gateway e2e CA");
        MeshInstall.install(cluster, MESH, """
                version: "0.2.0"
                profile: demo
                addons: {prometheus: {enabled: false}, grafana: {enabled: false}, tracing: {enabled: false}, kiali: {enabled: false}}
                """, "300s");
        for (String ns : NAMESPACES) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
                    .addToLabels("windlass-injection", "enabled").endMetadata().build()).serverSideApply();
        }
        node = NodePorts.nodeAddress(client);
        apply(SYSTEM, Files.readString(ClusterProvider.repositoryRoot().resolve("samples/istio-seeds/my-gateway.yaml")));
        assertThat(gatewayListens()).as("the ingress gateway answers on port 80 within 60 s of the seed's Gateway").isTrue();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (client == null) {
            return;
        }
        NAMESPACES.forEach(ns -> client.namespaces().withName(ns).delete());
        MeshInstall.purge(cluster, MESH, "180s");
    }

    @Test
    @Order(1)
    void theSeedsMyGatewayRedirects80AndServesTheMountedCertificateOn443() throws Exception {
        TestPki.Issued files = TestPki.server(ca, "files.example.com");
        secret(SYSTEM, "istio-ingressgateway-certs", files, null);
        httpbin("gwtls-files");
        apply("gwtls-files", virtualService("files", "files.example.com", SYSTEM + "/my-gateway"));

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                assertThat(plainGet(nodePort("http2"), "files.example.com", "/status/200")).startsWith("HTTP/1.1 301")
                        .containsIgnoringCase("location: https://files.example.com/status/200"));
        // The optional Secret volume is filled by the kubelet's next sync, and the proxy re-reads the files.
        await().atMost(Duration.ofSeconds(150)).ignoreExceptions().untilAsserted(() ->
                assertThat(serial("files.example.com", null)).isEqualTo(files.serial()));
    }

    @Test
    @Order(2)
    void credentialNameIsServedAndARotationIsSeenWithin30Seconds() throws Exception {
        TestPki.Issued first = TestPki.server(ca, "cred.example.com");
        secret(SYSTEM, "cred-credential", first, null);
        httpbin("gwtls-cred");
        apply("gwtls-cred", gateway("cred-gateway", "https-cred", "SIMPLE", "credentialName: cred-credential", "cred.example.com")
                + "---\n" + virtualService("cred", "cred.example.com", "cred-gateway"));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                assertThat(serial("cred.example.com", null)).isEqualTo(first.serial()));

        TestPki.Issued second = TestPki.server(ca, "cred.example.com");
        secret(SYSTEM, "cred-credential", second, null);
        long rotated = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertThat(serial("cred.example.com", null)).isEqualTo(second.serial()));
        assertThat(Duration.ofNanos(System.nanoTime() - rotated)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    @Order(3)
    void mutualRefusesAClientWithoutACertificateAndAcceptsOneWith() throws Exception {
        TestPki.Issued clientCa = TestPki.ca("gateway e2e client CA");
        secret(SYSTEM, "mtls-credential", TestPki.server(ca, "mtls.example.com"), clientCa);
        httpbin("gwtls-mutual");
        apply("gwtls-mutual", gateway("mtls-gateway", "https-mtls", "MUTUAL", "credentialName: mtls-credential",
                "mtls.example.com") + "---\n" + virtualService("mtls", "mtls.example.com", "mtls-gateway"));
        TestPki.Issued identity = TestPki.client(clientCa, "client", List.of("client.example.com"), List.of());

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                assertThat(httpsGet("mtls.example.com", identity)).startsWith("HTTP/1.1 200"));
        assertThatThrownBy(() -> httpsGet("mtls.example.com", null)).as("no client certificate")
                .isInstanceOf(IOException.class);
    }

    @Test
    @Order(4)
    void passthroughRoutesBySniToTwoBackendsThatTerminateTlsThemselves() throws Exception {
        String ns = "gwtls-passthrough";
        TestPki.Issued one = TestPki.server(ca, "one.passthrough.example.com");
        TestPki.Issued two = TestPki.server(ca, "two.passthrough.example.com");
        tlsEcho(ns, "one", one);
        tlsEcho(ns, "two", two);
        apply(ns, gateway("passthrough-gateway", "tls-passthrough", "PASSTHROUGH", "",
                "one.passthrough.example.com", "two.passthrough.example.com")
                + "---\n" + tlsRoute("one") + "---\n" + tlsRoute("two"));

        for (var backend : List.of(new Object[]{"one", one}, new Object[]{"two", two})) {
            String name = (String) backend[0];
            TestPki.Issued expected = (TestPki.Issued) backend[1];
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                try (SSLSocket socket = tls(name + ".passthrough.example.com", null)) {
                    assertThat(((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber())
                            .isEqualTo(expected.serial());
                    socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(new String(socket.getInputStream().readNBytes(name.length() + 7), StandardCharsets.US_ASCII))
                            .isEqualTo(name + " hello\n");
                }
            });
        }
    }

    /** Whether the gateway answers on port 80 within 60 s of the seed's Gateway: the discovery side is there. */
    private static boolean gatewayListens() {
        boolean listening = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!listening && System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(node, nodePort("http2")), 2000);
                socket.setSoTimeout(5000);
                socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: probe\r\nConnection: close\r\n\r\n".getBytes());
                listening = socket.getInputStream().read() >= 0;
            } catch (IOException notYet) {
                sleep(2000);
            }
        }
        return listening;
    }

    private static int nodePort(String name) {
        return NodePorts.nodePort(client, SYSTEM, GATEWAY, name);
    }

    private static BigInteger serial(String sni, TestPki.Issued identity) throws Exception {
        try (SSLSocket socket = tls(sni, identity)) {
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private static String httpsGet(String host, TestPki.Issued identity) throws Exception {
        try (SSLSocket socket = tls(host, identity)) {
            return exchange(socket, host, "/status/200");
        }
    }

    /** A TLS connection to the https NodePort, SNI {@code sni}, the server verified against the test CA by name. */
    private static SSLSocket tls(String sni, TestPki.Issued identity) throws Exception {
        SSLContext context = TestPki.clientContext(ca, identity);
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(node, nodePort("https")), 3000);
        plain.setSoTimeout(10_000);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, sni, 443, true);
        SSLParameters params = socket.getSSLParameters();
        params.setServerNames(List.of(new SNIHostName(sni)));
        params.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(params);
        socket.startHandshake();
        return socket;
    }

    private static String plainGet(int port, String host, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(node, port), 3000);
            socket.setSoTimeout(10_000);
            return exchange(socket, host, path);
        }
    }

    private static String exchange(Socket socket, String host, String path) throws IOException {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /**
     * Issue 26: with every TLS server above merged on the gateway (SIMPLE, MUTUAL, PASSTHROUGH, tls_inspector), its
     * {@code /config_dump} keeps their TLS configs, so {@code proxy-status POD} finds it holding what discovery sends.
     */
    @Test
    @Order(5)
    void proxyStatusOfTheTlsGatewayMatchesDiscovery() throws Exception {
        String gateway = client.pods().inNamespace(SYSTEM).withLabel("app", GATEWAY).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).findFirst().orElseThrow().getMetadata().getName();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(3)).untilAsserted(() -> {
            WindlassCli.Result status = WindlassCli.run(cluster, "-n", SYSTEM, "proxy-status", gateway);
            assertThat(status.output()).as(status.errors())
                    .contains("Clusters Match", "Listeners Match", "Routes Match", "Endpoints Match");
            assertThat(status.code()).isZero();
        });
        WindlassCli.Result listener = WindlassCli.run(cluster, "proxy-config", "listener", gateway + "." + SYSTEM, "--port", "443", "-o", "json");
        assertThat(listener.code()).as(listener.errors()).isZero();
        assertThat(listener.output()).contains("type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext");
    }

    private static void secret(String ns, String name, TestPki.Issued certificate, TestPki.Issued clientCa) {
        SecretBuilder secret = new SecretBuilder().withNewMetadata().withName(name).endMetadata().withType("kubernetes.io/tls")
                .addToStringData("tls.crt", certificate.certificatePem()).addToStringData("tls.key", certificate.keyPem());
        if (clientCa != null) {
            secret.addToStringData("ca.crt", clientCa.certificatePem());
        }
        client.secrets().inNamespace(ns).resource(secret.build()).serverSideApply();
    }

    private static void httpbin(String ns) throws IOException {
        apply(ns, Files.readString(ClusterProvider.repositoryRoot().resolve("samples/httpbin/httpbin.yaml")));
    }

    /** The samples' tcp-echo terminating TLS itself with {@code identity} (a PKCS#12 Secret), as Service tls-echo-NAME. */
    private static void tlsEcho(String ns, String name, TestPki.Issued identity) throws Exception {
        client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("tls-echo-" + name)
                .endMetadata().addToData("keystore.p12", Base64.getEncoder().encodeToString(identity.pkcs12())).build())
                .serverSideApply();
        apply(ns, """
                apiVersion: v1
                kind: Service
                metadata: {name: tls-echo-%1$s, labels: {app: tls-echo-%1$s}}
                spec:
                  selector: {app: tls-echo-%1$s}
                  ports: [{name: tls, port: 9443, targetPort: 9000}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: tls-echo-%1$s}
                spec:
                  selector: {matchLabels: {app: tls-echo-%1$s}}
                  template:
                    metadata: {labels: {app: tls-echo-%1$s, version: v1}}
                    spec:
                      containers:
                      - name: tcp-echo
                        image: windlass/bookinfo:0.2.0
                        imagePullPolicy: IfNotPresent
                        args: [tcp-echo, "9000", %1$s]
                        env: [{name: TLS_KEYSTORE, value: /certs/keystore.p12}]
                        volumeMounts: [{name: certs, mountPath: /certs, readOnly: true}]
                      volumes: [{name: certs, secret: {secretName: tls-echo-%1$s}}]
                """.formatted(name));
    }

    private static String gateway(String name, String portName, String mode, String credential, String... hosts) {
        return """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: %s}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 443, name: %s, protocol: %s}
                    hosts: [%s]
                    tls:
                      mode: %s
                      %s
                """.formatted(name, portName, mode.equals("PASSTHROUGH") ? "TLS" : "HTTPS", String.join(", ", hosts), mode,
                credential);
    }

    private static String virtualService(String name, String host, String gateway) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: %s}
                spec:
                  hosts: [%s]
                  gateways: [%s]
                  http:
                  - route:
                    - destination: {host: httpbin, port: {number: 8000}}
                """.formatted(name, host, gateway);
    }

    private static String tlsRoute(String name) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: tls-echo-%1$s}
                spec:
                  hosts: [%1$s.passthrough.example.com]
                  gateways: [passthrough-gateway]
                  tls:
                  - match:
                    - port: 443
                      sniHosts: [%1$s.passthrough.example.com]
                    route:
                    - destination: {host: tls-echo-%1$s, port: {number: 9443}}
                """.formatted(name);
    }

    private static void apply(String ns, String yaml) {
        for (HasMetadata object : client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
            client.resource(object).inNamespace(ns).serverSideApply();
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
