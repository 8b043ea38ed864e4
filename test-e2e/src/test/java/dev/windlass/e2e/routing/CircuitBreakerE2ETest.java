package dev.windlass.e2e.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.e2e.WindlassCli;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tier 3, Istio's circuit-breaking task on the real cluster: the seed's DestinationRule (connection pool and
 * outlier detection) applied unchanged on the httpbin sample, driven by the samples' load client in a mesh pod
 * at 1, 2 and 3 connections; then outlier detection on the cluster, with one of httpbin's two endpoints made to
 * answer 500 (env FAIL_STATUS): it is ejected, the other takes the traffic, and {@code windlass proxy-config
 * endpoints} shows it FAILED, then OK again after its ejection time. maxRequestsPerConnection: 1 counted at the
 * server's sidecars. Its own demo mesh and namespaces.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CircuitBreakerE2ETest {
    private static final Logger LOG = LoggerFactory.getLogger(CircuitBreakerE2ETest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MESH = "cb-mesh";
    private static final String BREAKER = "cb-httpbin";
    private static final String OUTLIER = "cb-outlier";
    private static final String URL = "http://httpbin:8000/get";
    private static final Duration CONVERGE = Duration.ofSeconds(60);
    private static OwnMesh mesh;
    private static MeshApps apps;

    @BeforeAll
    static void installMeshAndApps() throws Exception {
        mesh = OwnMesh.connect(MESH, BREAKER, OUTLIER);
        apps = mesh.install();
        for (String ns : List.of(BREAKER, OUTLIER)) {
            apps.apply(ns, "samples/httpbin/httpbin.yaml");
        }
        for (String ns : List.of(BREAKER, OUTLIER)) {
            apps.awaitDeployments(ns);
        }
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (mesh != null) {
            mesh.remove();
        }
    }

    /** One run of the load client: its codes and x-envoy-overloaded counts, from its JSON line. */
    record Run(int requests, int ok, int overflowed, int failed, int overloadedHeader) {
    }

    private static Run load(String namespace, int connections, int requests) throws Exception {
        MeshApps.Exec exec = apps.load(namespace, "load-client", "-c", String.valueOf(connections), "-qps", "0",
                "-n", String.valueOf(requests), "-loglevel", "Warning", "-count-header", "x-envoy-overloaded", URL);
        assertThat(exec.code()).as(exec.err()).isZero();
        LOG.info("load -c {} -n {}:\n{}", connections, requests, exec.out());
        List<String> lines = exec.out().lines().toList();
        JsonNode summary = JSON.readTree(lines.getLast());
        JsonNode codes = summary.path("codes");
        int ok = codes.path("200").asInt();
        int overflowed = codes.path("503").asInt();
        int all = 0;
        for (JsonNode count : codes) {
            all += count.asInt();
        }
        return new Run(all, ok, overflowed, all - ok - overflowed, summary.at("/headers/x-envoy-overloaded/true").asInt());
    }

    /** A page of a pod's sidecar admin port (127.0.0.1:15000 in the pod), through a port-forward. */
    private static String admin(String namespace, String app, String path) throws Exception {
        return admin(namespace, apps.pod(namespace, app), path);
    }

    private static String admin(String namespace, Pod pod, String path) throws Exception {
        return apps.admin(namespace, pod, path);
    }

    private static String cluster(String namespace) {
        return "outbound|8000||httpbin." + namespace + ".svc.cluster.local";
    }

    private static long stat(String stats, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + ": (\\d+)$").matcher(stats);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    @Test
    @Order(1)
    void theSeedCircuitBreakerLetsOneConnectionThroughAndOverflowsBeyondItWith503UO() throws Exception {
        apps.applyIstio(BREAKER, MeshApps.seed("httpbin-circuit-breaker.yaml"));
        // The client's sidecar has the thresholds once its config dump shows them on httpbin's cluster.
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2)).until(() ->
                admin(BREAKER, "load-client", "/config_dump").contains("\"max_pending_requests\""));

        Run one = load(BREAKER, 1, 20);
        assertThat(one.ok()).as("1 connection x 20 requests: all succeed").isEqualTo(20);

        Run two = load(BREAKER, 2, 20);
        LOG.info("2 connections x 20: {} ok, {} 503 UO (Istio's task: 2 connections may pass almost all)", two.ok(), two.overflowed());
        assertThat(two.requests()).isEqualTo(20);
        assertThat(two.failed()).isZero();
        assertThat(two.overloadedHeader()).isEqualTo(two.overflowed());

        Run three = load(BREAKER, 3, 30);
        LOG.info("3 connections x 30: {} ok, {} 503 UO", three.ok(), three.overflowed());
        assertThat(three.requests()).isEqualTo(30);
        assertThat(three.overflowed()).as("3 connections: some requests overflow").isPositive();
        assertThat(three.failed()).as("every failure is a 503").isZero();
        assertThat(three.overloadedHeader()).as("every 503 carries x-envoy-overloaded (flag UO)").isEqualTo(three.overflowed());

        String stats = admin(BREAKER, "load-client", "/stats");
        assertThat(stat(stats, "cluster." + cluster(BREAKER) + ".upstream_rq_pending_overflow"))
                .isEqualTo(two.overflowed() + three.overflowed());
        // The overflow 503s are the proxy's own: outlier detection (consecutive5xxErrors: 1) ejected nobody.
        assertThat(stat(stats, "cluster." + cluster(BREAKER) + ".outlier_detection.ejections_total")).isZero();
    }

    /** Connections httpbin's two sidecars (v1 and v2) have accepted so far. */
    private static long serverConnections(String namespace) throws Exception {
        long sum = 0;
        for (String version : List.of("v1", "v2")) {
            sum += stat(admin(namespace, apps.pod(namespace, "httpbin", version), "/stats"), "windlass.downstream_cx_total");
        }
        return sum;
    }

    @Test
    @Order(2)
    void maxRequestsPerConnectionOneMakesEveryRequestANewConnectionAtTheServer() throws Exception {
        long before = serverConnections(BREAKER);
        assertThat(load(BREAKER, 1, 20).ok()).isEqualTo(20);
        long perRequest = serverConnections(BREAKER) - before;
        // Without a pool (the other namespace, no DestinationRule yet) the client's sidecar reuses its connections.
        long reusedBefore = serverConnections(OUTLIER);
        assertThat(load(OUTLIER, 1, 20).ok()).isEqualTo(20);
        long reused = serverConnections(OUTLIER) - reusedBefore;
        LOG.info("20 requests on one client connection: {} server connections with maxRequestsPerConnection 1, {} without",
                perRequest, reused);
        assertThat(perRequest).isGreaterThanOrEqualTo(20);
        assertThat(reused).isLessThanOrEqualTo(6);
    }

    @Test
    @Order(3)
    void aFaultyEndpointIsEjectedTheOtherTakesTheTrafficAndItReturnsAfterItsEjectionTime() throws Exception {
        // httpbin-v2 answers 500 to every request (its pod stays ready): an endpoint-level fault.
        String healthyV2 = apps.pod(OUTLIER, "httpbin", "v2").getStatus().getPodIP() + ":8080";
        apps.setEnvAndAwaitRollout(OUTLIER, "httpbin-v2", "FAIL_STATUS", "500");
        apps.applyIstio(OUTLIER, """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: httpbin}
                spec:
                  host: httpbin
                  trafficPolicy:
                    outlierDetection: {consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 20s, maxEjectionPercent: 100}
                """);
        String v2 = apps.pod(OUTLIER, "httpbin", "v2").getStatus().getPodIP() + ":8080";
        String v1 = apps.pod(OUTLIER, "httpbin", "v1").getStatus().getPodIP() + ":8080";
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2)).until(() ->
                admin(OUTLIER, "load-client", "/config_dump").contains("\"outlier_detection\"")
                        && admin(OUTLIER, "load-client", "/clusters").contains(v2)
                        && !admin(OUTLIER, "load-client", "/clusters").contains(healthyV2));

        MeshApps.Exec first = apps.load(OUTLIER, "load-client", "-c", "1", "-n", "20", "-count-header", "x-version", URL);
        LOG.info("20 requests, v2 faulty:\n{}", first.out());
        assertThat(count(first.out(), "Code 500 : (\\d+)")).as("v2's one 500 ejects it").isEqualTo(1);
        assertThat(count(first.out(), "Code 200 : (\\d+)")).isEqualTo(19);
        long ejectedAt = System.nanoTime();

        String endpoints = endpoints();
        assertThat(endpoints).containsPattern(Pattern.quote(v2) + " +HEALTHY +FAILED +" + Pattern.quote(cluster(OUTLIER)))
                .containsPattern(Pattern.quote(v1) + " +HEALTHY +OK +" + Pattern.quote(cluster(OUTLIER)));
        MeshApps.Exec second = apps.load(OUTLIER, "load-client", "-c", "1", "-n", "20", "-count-header", "x-version", URL);
        assertThat(count(second.out(), "Header x-version v1 : (\\d+)")).as("only v1 while v2 is ejected").isEqualTo(20);
        String stats = admin(OUTLIER, "load-client", "/stats");
        assertThat(stat(stats, "cluster." + cluster(OUTLIER) + ".outlier_detection.ejections_active")).isEqualTo(1);
        assertThat(stat(stats, "cluster." + cluster(OUTLIER) + ".outlier_detection.ejections_total")).isEqualTo(1);

        // Without traffic, v2 returns at the first sweep after its 20 s ejection.
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1)).until(() ->
                endpoints().matches("(?s).*" + Pattern.quote(v2) + " +HEALTHY +OK .*"));
        long out = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - ejectedAt);
        LOG.info("v2 was out for about {} s", out);
        assertThat(out).isGreaterThanOrEqualTo(18);
    }

    /** {@code windlass proxy-config endpoints <load-client pod>.<namespace> --cluster <httpbin's>}. */
    private static String endpoints() throws Exception {
        String pod = apps.pod(OUTLIER, "load-client").getMetadata().getName();
        WindlassCli.Result result = WindlassCli.run(mesh.cluster(), "proxy-config", "endpoints", pod + "." + OUTLIER);
        assertThat(result.code()).as(result.errors()).isZero();
        return result.output();
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
