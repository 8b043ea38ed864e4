package dev.windlass.e2e.routing;

import dev.windlass.e2e.WindlassCli;
import dev.windlass.e2e.cluster.ClusterProvider;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tier 3, Istio's locality load-balancing tasks on the one-node cluster: pods get their locality from the
 * {@code istio-locality} label Istio honours (the client and httpbin-v1 in region1.zone1, httpbin-v2 in
 * region2.zone2). With a DestinationRule distributing 80/20 from region1/zone1, about a fifth of the requests
 * reach region2; with failover region1 -> region2 and outlier detection, every request stays in the client's zone
 * until v1 answers 500, is ejected, and the traffic fails over to region2. Its own demo mesh and namespace.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalityFailoverE2ETest {
    private static final Logger LOG = LoggerFactory.getLogger(LocalityFailoverE2ETest.class);
    private static final String MESH = "loc-mesh";
    private static final String NS = "loc-httpbin";
    private static final String URL = "http://httpbin:8000/get";
    private static final String CLUSTER = "outbound|8000||httpbin." + NS + ".svc.cluster.local";
    private static final Duration CONVERGE = Duration.ofSeconds(60);
    private static OwnMesh mesh;
    private static MeshApps apps;

    @BeforeAll
    static void installMeshAndApps() throws Exception {
        mesh = OwnMesh.connect(MESH, NS);
        apps = mesh.install();
        // The sample unchanged but for the locality label on each pod template.
        String yaml = Files.readString(ClusterProvider.repositoryRoot().resolve("samples/httpbin/httpbin.yaml"))
                .replace("metadata: {labels: {app: httpbin, version: v1}}",
                        "metadata: {labels: {app: httpbin, version: v1, istio-locality: region1.zone1}}")
                .replace("metadata: {labels: {app: httpbin, version: v2}}",
                        "metadata: {labels: {app: httpbin, version: v2, istio-locality: region2.zone2}}")
                .replace("metadata: {labels: {app: load-client}}",
                        "metadata: {labels: {app: load-client, istio-locality: region1.zone1}}");
        assertThat(yaml).contains("version: v1, istio-locality").contains("version: v2, istio-locality")
                .contains("load-client, istio-locality");
        apps.applyYaml(NS, yaml);
        apps.awaitDeployments(NS);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (mesh != null) {
            mesh.remove();
        }
    }

    private static String admin(String path) throws Exception {
        return apps.admin(NS, apps.pod(NS, "load-client"), path);
    }

    private static String address(String version) {
        return apps.pod(NS, "httpbin", version).getStatus().getPodIP() + ":8080";
    }

    /** The load client's output for {@code n} requests on one connection, counting the x-version header. */
    private static String requests(int n) throws Exception {
        MeshApps.Exec exec = apps.load(NS, "load-client", "-c", "1", "-qps", "0", "-n", String.valueOf(n),
                "-loglevel", "Warning", "-count-header", "x-version", URL);
        assertThat(exec.code()).as(exec.err()).isZero();
        LOG.info("{} requests:\n{}", n, exec.out());
        return exec.out();
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    @Test
    @Order(1)
    void distributeSendsAboutAFifthToRegion2() throws Exception {
        apps.applyIstio(NS, """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: httpbin}
                spec:
                  host: httpbin
                  trafficPolicy:
                    loadBalancer:
                      localityLbSetting:
                        enabled: true
                        distribute:
                        - from: region1/zone1/*
                          to: {"region1/zone1/*": 80, "region2/zone2/*": 20}
                """);
        // Both localities stay at priority 0: the client has the rule once its EDS (in the config dump) has weights.
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2)).until(() ->
                admin("/config_dump").contains("\"load_balancing_weight\""));
        String out = requests(100);
        int v2 = count(out, "Header x-version v2 : (\\d+)");
        int v1 = count(out, "Header x-version v1 : (\\d+)");
        LOG.info("distribute 80/20: {} to v1 (region1), {} to v2 (region2)", v1, v2);
        assertThat(v1 + v2).isEqualTo(100);
        // 80/20 expects 20; round robin without the weights would give 50.
        assertThat(v2).isBetween(5, 38);
    }

    @Test
    @Order(2)
    void failoverKeepsTrafficInZoneUntilTheLocalEndpointIsEjected() throws Exception {
        apps.applyIstio(NS, """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: httpbin}
                spec:
                  host: httpbin
                  trafficPolicy:
                    loadBalancer:
                      simple: ROUND_ROBIN
                      localityLbSetting:
                        enabled: true
                        failover: [{from: region1, to: region2}]
                    outlierDetection: {consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 3m, maxEjectionPercent: 100}
                """);
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2)).until(() -> {
            String clusters = admin("/clusters");
            return clusters.contains(CLUSTER + "::" + address("v1") + "::priority::0")
                    && clusters.contains(CLUSTER + "::" + address("v2") + "::priority::1");
        });
        String inZone = requests(20);
        assertThat(count(inZone, "Header x-version v1 : (\\d+)")).as("all in the client's zone").isEqualTo(20);

        // v1 answers 500 from now on (a rollout: a new pod, same labels); the client's EDS must list the new one.
        apps.setEnvAndAwaitRollout(NS, "httpbin-v1", "FAIL_STATUS", "500");
        String failing = address("v1");
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(2)).until(() -> {
            String clusters = admin("/clusters");
            return clusters.contains(CLUSTER + "::" + failing + "::priority::0")
                    && clusters.lines().filter(l -> l.startsWith(CLUSTER + "::") && l.contains("::priority::")).count() == 2;
        });

        String failover = requests(20);
        assertThat(count(failover, "Code 500 : (\\d+)")).as("v1's one 500 ejects it").isEqualTo(1);
        assertThat(count(failover, "Header x-version v2 : (\\d+)")).as("then region2 takes the traffic").isEqualTo(19);
        assertThat(count(requests(20), "Header x-version v2 : (\\d+)")).as("all to region2 while v1 is out").isEqualTo(20);

        String pod = apps.pod(NS, "load-client").getMetadata().getName();
        WindlassCli.Result endpoints = WindlassCli.run(mesh.cluster(), "proxy-config", "endpoints", pod + "." + NS);
        assertThat(endpoints.code()).as(endpoints.errors()).isZero();
        assertThat(endpoints.output()).containsPattern(Pattern.quote(failing) + " +HEALTHY +FAILED +" + Pattern.quote(CLUSTER));
    }
}
