package dev.windlass.e2e.routing;

import dev.windlass.e2e.MeshInstall;
import dev.windlass.e2e.WindlassCli;
import dev.windlass.e2e.cluster.ClusterProvider;
import dev.windlass.e2e.cluster.MeshImages;
import dev.windlass.e2e.cluster.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Tier 3, Istio's traffic routing tasks on the real cluster, with the seeds' and Istio's YAML applied unchanged:
 * one demo mesh, one namespace per scenario (the seeds' web-svc example names the default namespace, so it runs
 * there). Requests come from the samples' load client inside a mesh pod, so that the client sidecar applies
 * the rules, as Istio's tasks do with their sleep or fortio pods.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IstioRoutingE2ETest {
    private static final Logger LOG = LoggerFactory.getLogger(IstioRoutingE2ETest.class);
    private static final String MESH = "routing-mesh";
    private static final String BOOKINFO = "routing-bookinfo";
    private static final String HTTPBIN = "routing-httpbin";
    private static final String TCP = "routing-tcp";
    private static final String WEB = "default";
    private static final Duration CONVERGE = Duration.ofSeconds(30);
    private static TestCluster cluster;
    private static KubernetesClient client;
    private static MeshApps apps;

    @BeforeAll
    static void installMeshAndApps() throws Exception {
        cluster = ClusterProvider.get();
        MeshImages.load(cluster, MeshImages.BOOKINFO);
        client = cluster.client();
        apps = new MeshApps(client);
        MeshApps.installDemoMesh(cluster, MESH);
        for (String ns : List.of(BOOKINFO, HTTPBIN, TCP, WEB)) {
            apps.injectedNamespace(ns);
        }
        apps.apply(BOOKINFO, "samples/bookinfo/bookinfo.yaml");
        apps.applyLoadClient(BOOKINFO);
        apps.apply(HTTPBIN, "samples/httpbin/httpbin.yaml");
        apps.apply(TCP, "samples/tcp-echo/tcp-echo.yaml");
        apps.applyLoadClient(TCP);
        apps.apply(WEB, "samples/web/web-svc.yaml");
        apps.applyLoadClient(WEB);
        for (String ns : List.of(BOOKINFO, HTTPBIN, TCP, WEB)) {
            apps.awaitDeployments(ns);
        }
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (client == null) {
            return;
        }
        for (String ns : List.of(BOOKINFO, HTTPBIN, TCP)) {
            client.namespaces().withName(ns).delete();
        }
        client.resource(client.namespaces().withName(WEB).get()).edit(n -> {
            n.getMetadata().getLabels().remove("windlass-injection");
            return n;
        });
        for (var doc : List.of("samples/web/web-svc.yaml")) {
            client.load(Files.newInputStream(ClusterProvider.repositoryRoot().resolve(doc))).inNamespace(WEB).delete();
        }
        client.apps().deployments().inNamespace(WEB).withName("load-client").delete();
        client.genericKubernetesResources("networking.istio.io/v1", "VirtualService").inNamespace(WEB).withName("web-svc").delete();
        MeshInstall.purge(cluster, MESH, "180s");
    }

    @Test
    @Order(1)
    void weightsSplitWebSvcByFqdn80To20() throws Exception {
        apps.applyIstio(WEB, MeshApps.seed("web-svc-80-20.yaml"));
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2)).until(() ->
                servedBy(apps.load(WEB, "load-client", "curl", "http://web-svc.default.svc.cluster.local/").out()).startsWith("httpd"));
        MeshApps.Exec run = apps.load(WEB, "load-client", "-c", "4", "-n", "1000", "-count-header", "x-served-by",
                "http://web-svc.default.svc.cluster.local/");
        LOG.info("web-svc split:\n{}", run.out());
        int tomcat = count(run.out(), "Header x-served-by tomcat-v1 : (\\d+)");
        int httpd = count(run.out(), "Header x-served-by httpd-v1 : (\\d+)");
        assertThat(tomcat + httpd).isEqualTo(1000);
        assertThat(tomcat / 10.0).as("tomcat-svc share, %").isBetween(76.0, 84.0);
        assertThat(httpd / 10.0).as("httpd-svc share, %").isBetween(16.0, 24.0);
    }

    private static String servedBy(String curlOutput) {
        Matcher m = Pattern.compile("(?im)^x-served-by: (\\S+)").matcher(curlOutput);
        return m.find() ? m.group(1) : "";
    }

    @Test
    @Order(2)
    void requestRoutingByHeaderSendsJasonToV2AndEveryoneElseToV1() throws Exception {
        apps.applyIstio(BOOKINFO, MeshApps.resource("destination-rule-all.yaml"));
        apps.applyIstio(BOOKINFO, MeshApps.resource("virtual-service-all-v1.yaml"));
        apps.applyIstio(BOOKINFO, MeshApps.resource("virtual-service-reviews-test-v2.yaml"));
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2)).until(() -> reviewsVersion(page("jason").body()).equals("v2"));
        for (int i = 0; i < 20; i++) {
            Page jason = page("jason");
            assertThat(reviewsVersion(jason.body())).as("jason, request %d", i).isEqualTo("v2");
            assertThat(jason.body()).contains("data-stars=\"black\"");
            Page anonymous = page(null);
            assertThat(reviewsVersion(anonymous.body())).as("anonymous, request %d", i).isEqualTo("v1");
            assertThat(anonymous.body()).contains("data-stars=\"none\"");
        }
    }

    @Test
    @Order(3)
    void aFaultDelayForJasonMakesTheReviewsUnavailableAfterAboutSixSeconds() throws Exception {
        apps.applyIstio(BOOKINFO, MeshApps.seed("ratings-delay-jason.yaml"));
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2)).until(() -> page("jason").millis() > 5000);
        Page jason = page("jason");
        LOG.info("jason's page with the 7 s ratings delay: {} ms", jason.millis());
        assertThat(jason.millis()).as("3 s timeout and one retry in productpage").isBetween(5500L, 8000L);
        assertThat(jason.body()).contains("Sorry, product reviews are currently unavailable for this book.");
        Page anonymous = page(null);
        assertThat(anonymous.millis()).isLessThan(2500);
        assertThat(anonymous.body()).doesNotContain("currently unavailable");
    }

    @Test
    @Order(4)
    void aFaultAbortForJasonShowsRatingsUnavailableAtOnce() throws Exception {
        apps.applyIstio(BOOKINFO, MeshApps.seed("ratings-abort-jason.yaml"));
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2))
                .until(() -> page("jason").body().contains("Ratings service is currently unavailable"));
        Page jason = page("jason");
        assertThat(jason.millis()).isLessThan(2500);
        assertThat(jason.body()).contains("Ratings service is currently unavailable").contains("data-stars=\"black\"");
        assertThat(page(null).body()).doesNotContain("Ratings service is currently unavailable");
    }

    @Test
    @Order(5)
    void aRouteTimeoutCutsTheDelayedReviewsAfterTwoAttempts() throws Exception {
        apps.applyIstio(BOOKINFO, MeshApps.resource("virtual-service-reviews-v2.yaml"));
        apps.applyIstio(BOOKINFO, MeshApps.seed("ratings-delay-2s.yaml"));
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2)).until(() -> page(null).millis() > 1800);
        Page slow = page(null);
        LOG.info("page with the 2 s ratings delay: {} ms", slow.millis());
        assertThat(slow.millis()).isBetween(1800L, 3500L);
        assertThat(slow.body()).contains("data-stars=\"black\"").doesNotContain("currently unavailable");

        apps.applyIstio(BOOKINFO, MeshApps.seed("reviews-timeout.yaml"));
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2)).until(() -> page(null).body().contains("reviews are currently unavailable"));
        Page cut = page(null);
        LOG.info("page with the 0.5 s reviews timeout: {} ms", cut.millis());
        assertThat(cut.millis()).as("two attempts of 0.5 s").isBetween(900L, 2000L);
        assertThat(cut.body()).contains("Sorry, product reviews are currently unavailable for this book.");
    }

    @Test
    @Order(6)
    void mirroringCopiesEveryRequestToV2AndTheClientOnlySeesV1() throws Exception {
        apps.applyIstio(HTTPBIN, MeshApps.seed("httpbin-v1.yaml"));
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2)).until(() -> v2Requests() == 0
                && apps.load(HTTPBIN, "load-client", "curl", "http://httpbin:8000/get").out().contains("x-version: v1"));
        apps.applyIstio(HTTPBIN, MeshApps.seed("httpbin-mirror.yaml"));
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2)).until(() -> {
            apps.load(HTTPBIN, "load-client", "curl", "http://httpbin:8000/get");
            return v2Requests() > 0;
        });
        resetV2();
        MeshApps.Exec run = apps.load(HTTPBIN, "load-client", "-c", "1", "-n", "20", "-count-header", "x-version",
                "http://httpbin:8000/get");
        assertThat(count(run.out(), "Header x-version v1 : (\\d+)")).isEqualTo(20);
        assertThat(run.out()).doesNotContain("x-version v2");
        await().atMost(Duration.ofSeconds(10)).until(() -> v2Requests() == 20);
        String v2Log = client.pods().inNamespace(HTTPBIN).withName(apps.pod(HTTPBIN, "httpbin", "v2").getMetadata().getName())
                .inContainer("httpbin").getLog();
        assertThat(v2Log).contains("httpbin-shadow:8000");
    }

    private static int v2Requests() throws Exception {
        String ip = apps.pod(HTTPBIN, "httpbin", "v2").getStatus().getPodIP();
        String body = apps.load(HTTPBIN, "load-client", "curl", "http://" + ip + ":8080/stats/requests").out();
        return count(body, "\"requests\":(\\d+)");
    }

    private static void resetV2() throws Exception {
        String ip = apps.pod(HTTPBIN, "httpbin", "v2").getStatus().getPodIP();
        apps.load(HTTPBIN, "load-client", "curl", "http://" + ip + ":8080/stats/reset");
    }

    @Test
    @Order(7)
    void tcpTrafficShiftsFromAllV1To80To20() throws Exception {
        apps.applyIstio(TCP, MeshApps.resource("tcp-echo-all-v1.yaml"));
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2)).until(() ->
                count(apps.load(TCP, "load-client", "tcp", "-n", "20", "tcp-echo:9000", "hello").out(), "\"one\":(\\d+)") == 20);
        apps.applyIstio(TCP, MeshApps.resource("tcp-echo-20-v2.yaml"));
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2)).until(() ->
                apps.load(TCP, "load-client", "tcp", "-n", "20", "tcp-echo:9000", "hello").out().contains("\"two\""));
        MeshApps.Exec run = apps.load(TCP, "load-client", "tcp", "-n", "500", "tcp-echo:9000", "hello");
        LOG.info("tcp-echo split:\n{}", run.out());
        int one = count(run.out(), "\"one\":(\\d+)");
        int two = count(run.out(), "\"two\":(\\d+)");
        assertThat(one + two).isEqualTo(500);
        assertThat(one / 5.0).as("v1 share, %").isBetween(74.0, 86.0);
        // Between sidecars a TCP port takes mesh mTLS too: the server sidecar terminated the client's handshakes.
        assertThat(apps.admin(TCP, apps.pod(TCP, "tcp-echo", "v1"), "/stats")).containsPattern("windlass.ssl_handshake: [1-9]");
    }

    @Test
    @Order(8)
    void invalidRoutingIsRefusedAtAdmissionWithTheFieldPath() {
        assertThatThrownBy(() -> apps.applyIstio(BOOKINFO, """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: broken}
                spec:
                  hosts: [reviews]
                  http:
                  - route: [{destination: {host: reviews, subset: v1}, weight: -5}, {destination: {host: reviews, subset: v2}}]
                    timeout: soon
                """)).isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("spec.http[0].route[0].weight: weight -5 < 0")
                .hasMessageContaining("spec.http[0].timeout");
    }

    @Test
    @Order(9)
    void proxyConfigShowsTheVirtualServiceRoutes() throws Exception {
        String pod = apps.pod(BOOKINFO, "productpage").getMetadata().getName();
        WindlassCli.Result routes = WindlassCli.run(cluster, "proxy-config", "routes", pod, "-n", BOOKINFO);
        assertThat(routes.code()).isZero();
        assertThat(routes.output()).contains("reviews." + BOOKINFO + ".svc.cluster.local:9080").contains("v2");
    }

    @Test
    @Order(10)
    void analyzeAndStatusReportAMissingSubsetAndAMissingHost() throws Exception {
        String ns = "routing-analysis";
        apps.injectedNamespace(ns);
        try {
            apps.applyIstio(ns, """
                    apiVersion: networking.istio.io/v1
                    kind: VirtualService
                    metadata: {name: reviews-v4}
                    spec:
                      hosts: [reviews.routing-bookinfo.svc.cluster.local]
                      exportTo: ["."]
                      http:
                      - route: [{destination: {host: reviews.routing-bookinfo.svc.cluster.local, subset: v4}}]
                    ---
                    apiVersion: networking.istio.io/v1
                    kind: VirtualService
                    metadata: {name: ghost}
                    spec:
                      hosts: [ghost]
                      http:
                      - route: [{destination: {host: ghost}}]
                    """);
            WindlassCli.Result analyze = WindlassCli.run(cluster, "analyze", "-n", ns);
            assertThat(analyze.code()).isEqualTo(79);
            assertThat(analyze.output())
                    .contains("Error [IST0101] (VirtualService " + ns + "/reviews-v4) Referenced host+subset in destinationrule not found: \"reviews.routing-bookinfo.svc.cluster.local+v4\"")
                    .contains("Error [IST0101] (VirtualService " + ns + "/ghost) Referenced host not found: \"ghost\"");
            await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2)).until(() -> {
                var vs = client.genericKubernetesResources("networking.istio.io/v1", "VirtualService").inNamespace(ns)
                        .withName("ghost").get();
                return String.valueOf(vs.getAdditionalProperties().get("status")).contains("IST0101");
            });
        } finally {
            client.namespaces().withName(ns).delete();
        }
    }

    /** A productpage view from the load client's pod: its body and how long it took (measured in the pod). */
    private record Page(String body, long millis) {
    }

    private static Page page(String user) throws Exception {
        MeshApps.Exec exec = user == null
                ? apps.load(BOOKINFO, "load-client", "curl", "http://productpage:9080/productpage")
                : apps.load(BOOKINFO, "load-client", "curl", "-H", "Cookie: session=" + user, "http://productpage:9080/productpage");
        return new Page(exec.out(), count(exec.err(), "load curl: (\\d+) ms"));
    }

    private static String reviewsVersion(String html) {
        Matcher m = Pattern.compile("<div class=\"reviews\"[^>]*data-version=\"([^\"]*)\"").matcher(html);
        return m.find() ? m.group(1) : "";
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
