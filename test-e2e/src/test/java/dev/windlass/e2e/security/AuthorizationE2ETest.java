package dev.windlass.e2e.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.e2e.MeshInstall;
import dev.windlass.e2e.cluster.ClusterProvider;
import dev.windlass.e2e.cluster.MeshImages;
import dev.windlass.e2e.cluster.NodePorts;
import dev.windlass.e2e.cluster.TestCluster;
import dev.windlass.e2e.routing.MeshApps;
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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tier 3, issue 20's AuthorizationPolicy, as Istio's "Authorization for HTTP traffic" task runs it on Bookinfo:
 * each step applies the task's policies and measures, from the host through the ingress gateway, which calls
 * answer 403: productpage itself, and the calls it makes to details and reviews, and reviews to ratings (the
 * sample's JSON page reports each call's status).
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthorizationE2ETest {
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationE2ETest.class);
    private static final String MESH = "authz-e2e";
    private static final String APPS = "authz-bookinfo";
    private static final Duration CONVERGE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestCluster cluster;
    private static KubernetesClient client;
    private static MeshApps apps;
    private static URI page;
    private static List<String> steps;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void installMeshAndBookinfo() throws Exception {
        cluster = ClusterProvider.get();
        MeshImages.load(cluster, MeshImages.BOOKINFO);
        client = cluster.client();
        apps = new MeshApps(client);
        MeshApps.installDemoMesh(cluster, MESH);
        apps.injectedNamespace(APPS);
        apps.apply(APPS, "samples/bookinfo/bookinfo.yaml");
        apps.applyIstio(APPS, MeshApps.resource("bookinfo-gateway.yaml"));
        apps.awaitDeployments(APPS);
        page = URI.create("http://" + NodePorts.nodeAddress(client) + ":"
                + NodePorts.nodePort(client, "windlass-system", "windlass-ingressgateway", "http2") + "/api/v1/products/0");
        steps = List.of(MeshApps.resource("authz-http.yaml").replace("NAMESPACE", APPS).split("(?m)^---$"));
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                .until(() -> calls().equals(Map.of("productpage", 200, "details", 200, "reviews", 200, "ratings", 200)));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (client == null) {
            return;
        }
        client.namespaces().withName(APPS).delete();
        MeshInstall.purge(cluster, MESH, "180s");
    }

    @Test
    @Order(1)
    void allowNothingDeniesProductpageWithIstiosAnswer() throws Exception {
        apps.applyIstio(APPS, steps.get(0));
        HttpResponse<String> denied = await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> get("GET"), r -> r.statusCode() == 403);
        assertThat(denied.body()).isEqualTo("RBAC: access denied");
        LOG.info("allow-nothing: productpage {}", denied.statusCode());
    }

    @Test
    @Order(2)
    void productpageViewerLetsGetThroughButNotPostAndNotItsCalls() throws Exception {
        apps.applyIstio(APPS, steps.get(1));
        Map<String, Integer> calls = converge(Map.of("productpage", 200, "details", 403, "reviews", 403));
        assertThat(get("POST").statusCode()).as("only GET is allowed").isEqualTo(403);
        LOG.info("productpage-viewer: {}", calls);
    }

    @Test
    @Order(3)
    void detailsAndReviewsViewersAdmitProductpagesAccountOnly() throws Exception {
        apps.applyIstio(APPS, steps.get(2));
        apps.applyIstio(APPS, steps.get(3));
        LOG.info("details- and reviews-viewer: {}",
                converge(Map.of("productpage", 200, "details", 200, "reviews", 200, "ratings", 403)));
    }

    @Test
    @Order(4)
    void ratingsViewerCompletesThePage() throws Exception {
        apps.applyIstio(APPS, steps.get(4));
        LOG.info("ratings-viewer: {}", converge(Map.of("productpage", 200, "details", 200, "reviews", 200, "ratings", 200)));
    }

    /** Waits until the page's calls answer as {@code expected} (a missing key: that call was not made). */
    private static Map<String, Integer> converge(Map<String, Integer> expected) {
        return await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(AuthorizationE2ETest::calls, calls -> calls.equals(expected));
    }

    /** The status of productpage and of each call it reports: details, reviews and, through reviews, ratings. */
    private static Map<String, Integer> calls() throws Exception {
        HttpResponse<String> response = get("GET");
        Map<String, Integer> calls = new TreeMap<>();
        calls.put("productpage", response.statusCode());
        if (response.statusCode() != 200) {
            return calls;
        }
        JsonNode page = JSON.readTree(response.body());
        calls.put("details", page.path("details").path("status").asInt());
        calls.put("reviews", page.path("reviews").path("status").asInt());
        JsonNode ratings = page.path("reviews").path("body").path("ratings");
        if (ratings.has("status")) {
            calls.put("ratings", ratings.path("status").asInt());
        }
        return calls;
    }

    private static HttpResponse<String> get(String method) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(page).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
