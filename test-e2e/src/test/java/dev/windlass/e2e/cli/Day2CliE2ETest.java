package dev.windlass.e2e.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.e2e.MeshInstall;
import dev.windlass.e2e.WindlassCli;
import dev.windlass.e2e.cluster.ClusterProvider;
import dev.windlass.e2e.cluster.MeshImages;
import dev.windlass.e2e.cluster.TestCluster;
import dev.windlass.e2e.routing.MeshApps;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tier 3, issue 26's must-shows 1, 2 and 4, on one demo mesh with Bookinfo in {@code default} (the seeds' FQDN) and
 * Istio's bookinfo Gateway on port 80. First the seeds' proxy-config commands verbatim, {@code istioctl} replaced by
 * {@code windlass} and {@code istio-system} by {@code windlass-system}: the gateway's port-80 listener, its route
 * {@code http.80}, the productpage cluster and productpage's endpoints; {@code proxy-config log} setting a sidecar's
 * log level at runtime, and its bootstrap. Then {@code x describe pod} of a reviews pod before and after the routing
 * task's VirtualServices and DestinationRules, and {@code proxy-status}: every Bookinfo proxy SYNCED, one proxy frozen
 * with SIGSTOP STALE while a VirtualService changes and the others SYNCED, SYNCED again after SIGCONT.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Day2CliE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MESH = "day2-mesh";
    private static final String APPS = "default";
    private static final String PRODUCTPAGE = "productpage.default.svc.cluster.local";
    private static final String SIDECAR = "windlass-proxy";
    private static final String[] SYNCED = {"SYNCED", "SYNCED", "SYNCED", "SYNCED"};
    private static TestCluster cluster;
    private static KubernetesClient client;
    private static final List<HasMetadata> applied = new ArrayList<>();
    private static String gateway;
    private static String productpage;

    @BeforeAll
    static void demoMeshWithBookinfoAndItsGateway() throws Exception {
        cluster = ClusterProvider.get();
        MeshImages.load(cluster, MeshImages.BOOKINFO);
        client = cluster.client();
        MeshInstall.installDemo(cluster, MESH);
        client.namespaces().withName(APPS).edit(n -> new NamespaceBuilder(n).editMetadata()
                .addToLabels("windlass-injection", "enabled").endMetadata().build());
        String yaml = Files.readString(ClusterProvider.repositoryRoot().resolve("samples/bookinfo/bookinfo.yaml"));
        for (HasMetadata object : client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
            applied.add(client.resource(object).inNamespace(APPS).fieldManager("kubectl").forceConflicts().serverSideApply());
        }
        applyIstio(MeshApps.resource("bookinfo-gateway.yaml"));
        for (HasMetadata object : List.copyOf(applied)) {
            if (object instanceof Deployment deployment) {
                client.resource(deployment).waitUntilCondition(d -> d.getStatus() != null
                        && d.getStatus().getAvailableReplicas() != null && d.getStatus().getAvailableReplicas() > 0, 5, TimeUnit.MINUTES);
            }
        }
        gateway = pod("windlass-system", "istio", "ingressgateway");
        productpage = pod(APPS, "app", "productpage");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (client == null) {
            return;
        }
        for (HasMetadata object : applied) {
            client.resource(object).delete();
        }
        client.namespaces().withName(APPS).edit(n -> new NamespaceBuilder(n).editMetadata()
                .removeFromLabels("windlass-injection").endMetadata().build());
        MeshInstall.purge(cluster, MESH, "180s");
    }

    /** {@code istioctl -n istio-system proxy-config listener <gateway-pod> --port 80 -o json}. */
    @Test
    @Order(1)
    void theGatewaysPort80Listener() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            WindlassCli.Result result = WindlassCli.run(cluster, "-n", "windlass-system", "proxy-config", "listener", gateway,
                    "--port", "80", "-o", "json");
            assertThat(result.code()).isZero();
            JsonNode listeners = JSON.readTree(result.output());
            assertThat(listeners).hasSize(1);
            assertThat(listeners.get(0).at("/address/socket_address/port_value").asInt()).isEqualTo(80);
            assertThat(listeners.get(0).path("name").asText()).isEqualTo("0.0.0.0_80");
        });
    }

    /** {@code istioctl proxy-config route --name=http.80 <pod>}, the pod named with its namespace as istioctl allows. */
    @Test
    @Order(2)
    void theGatewaysRouteHttp80() throws Exception {
        WindlassCli.Result result = WindlassCli.run(cluster, "proxy-config", "route", "--name=http.80", gateway + ".windlass-system");
        assertThat(result.code()).isZero();
        assertThat(result.output()).startsWith("NAME").contains("http.80 ").contains("/productpage")
                .contains(PRODUCTPAGE).doesNotContain("allow_any");
    }

    /** {@code istioctl proxy-config cluster <pod> --fqdn productpage.default.svc.cluster.local -o json}. */
    @Test
    @Order(3)
    void theProductpageCluster() throws Exception {
        WindlassCli.Result result = WindlassCli.run(cluster, "proxy-config", "cluster", productpage, "--fqdn", PRODUCTPAGE, "-o", "json");
        assertThat(result.code()).isZero();
        JsonNode clusters = JSON.readTree(result.output());
        List<String> names = new ArrayList<>();
        clusters.forEach(c -> names.add(c.path("name").asText()));
        assertThat(names).contains("outbound|9080||" + PRODUCTPAGE).allMatch(n -> n.endsWith("|" + PRODUCTPAGE));
    }

    /** {@code istioctl proxy-config endpoint <pod> | grep productpage}. */
    @Test
    @Order(4)
    void productpagesEndpoints() throws Exception {
        String ip = client.pods().inNamespace(APPS).withName(productpage).get().getStatus().getPodIP();
        WindlassCli.Result result = WindlassCli.run(cluster, "proxy-config", "endpoint", productpage);
        assertThat(result.code()).isZero();
        List<String> lines = result.output().lines().filter(l -> l.contains("productpage")).toList();
        assertThat(lines).anyMatch(l -> l.matches(ip.replace(".", "\\.") + ":9080 +HEALTHY +OK +outbound\\|9080\\|\\|" + PRODUCTPAGE));
    }

    /** {@code proxy-config log POD --level debug} changes the running proxy's level; reading it back shows it. */
    @Test
    @Order(5)
    void theProxysLogLevelIsSetAtRuntime() throws Exception {
        WindlassCli.Result set = WindlassCli.run(cluster, "proxy-config", "log", productpage, "--level", "debug");
        assertThat(set.code()).isZero();
        assertThat(set.output()).contains("windlass-proxy: debug");
        assertThat(WindlassCli.run(cluster, "proxy-config", "log", productpage).output()).contains("windlass-proxy: debug");
        assertThat(WindlassCli.run(cluster, "proxy-config", "log", productpage, "--level", "info").output()).contains("windlass-proxy: info");
    }

    /** {@code proxy-config bootstrap POD -o yaml}: the node the sidecar presents to the discovery server. */
    @Test
    @Order(6)
    void theSidecarsBootstrap() throws Exception {
        WindlassCli.Result result = WindlassCli.run(cluster, "proxy-config", "bootstrap", productpage, "-o", "yaml");
        assertThat(result.code()).isZero();
        assertThat(result.output()).contains("id: sidecar~", "~" + productpage + ".default~default.svc.cluster.local", "name: xds-grpc");
    }

    /** Must-show 4, before: no routing task applied, so no VirtualService or DestinationRule for reviews. */
    @Test
    @Order(7)
    void describeShowsNoRoutingBeforeTheTask() throws Exception {
        WindlassCli.Result result = WindlassCli.run(cluster, "-n", APPS, "x", "describe", "pod", pod(APPS, Map.of("app", "reviews", "version", "v1")));
        assertThat(result.code()).as(result.errors()).isZero();
        assertThat(result.output()).contains("Service: reviews").doesNotContain("VirtualService:", "DestinationRule:");
    }

    /** Must-show 4: Istio's routing task (destination-rule-all, virtual-service-all-v1) as described for a reviews pod. */
    @Test
    @Order(8)
    void describeListsTheRoutingTasksVirtualServiceAndDestinationRule() throws Exception {
        applyIstio(task("destination-rule-all.yaml"));
        applyIstio(task("virtual-service-all-v1.yaml"));
        String reviews = pod(APPS, Map.of("app", "reviews", "version", "v1"));
        WindlassCli.Result result = WindlassCli.run(cluster, "x", "describe", "pod", reviews, "-n", APPS);
        assertThat(result.code()).as(result.errors()).isZero();
        assertThat(result.output()).contains("Pod: " + reviews, "Service: reviews", "DestinationRule: reviews for \"reviews\"",
                "Matching subsets: v1", "(Non-matching subsets v2,v3)", "VirtualService: reviews",
                "Route to subset v1 of host reviews for (everything)");
    }

    /** Must-show 2, first half: every Bookinfo proxy SYNCED on each xDS type, the root {@code -n} before the command. */
    @Test
    @Order(9)
    void proxyStatusShowsEveryBookinfoProxySynced() {
        Set<String> bookinfo = new TreeSet<>();
        client.pods().inNamespace(APPS).list().getItems().stream().filter(Day2CliE2ETest::ready)
                .forEach(p -> bookinfo.add(p.getMetadata().getName() + "." + APPS));
        assertThat(bookinfo).hasSize(6);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(proxyStatus("-n", APPS, "proxy-status")).containsOnlyKeys(bookinfo)
                        .allSatisfy((proxy, states) -> assertThat(states).containsExactly(SYNCED)));
    }

    /**
     * Must-show 2: the ratings sidecar's proxy process SIGSTOPped on the node (the image has no shell to do it from);
     * the reviews VirtualService changes (Istio's virtual-service-reviews-test-v2); the frozen proxy cannot ACK the
     * push, so it shows STALE while the others ACK it and show SYNCED; after SIGCONT it ACKs and shows SYNCED.
     */
    @Test
    @Order(10)
    void aFrozenProxyIsStaleWhileAVirtualServiceChangesAndSyncedAfterSigcont() throws Exception {
        Pod ratings = client.pods().inNamespace(APPS).withName(pod(APPS, "app", "ratings")).get();
        String frozen = ratings.getMetadata().getName() + "." + APPS;
        assertThat(cluster.signalContainer(ratings, SIDECAR, "STOP")).isNotEmpty();
        try {
            applyIstio(task("virtual-service-reviews-test-v2.yaml"));
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                Map<String, List<String>> rows = proxyStatus("proxy-status", "-n", APPS);
                assertThat(rows.get(frozen)).contains("STALE");
                rows.forEach((proxy, states) -> {
                    if (!proxy.equals(frozen)) {
                        assertThat(states).as(proxy).containsExactly(SYNCED);
                    }
                });
            });
        } finally {
            cluster.signalContainer(ratings, SIDECAR, "CONT");
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(proxyStatus("proxy-status", "-n", APPS).get(frozen)).containsExactly(SYNCED));
    }

    /** {@code proxy-status POD}: once SYNCED again, what the thawed proxy holds is what discovery would send it. */
    @Test
    @Order(11)
    void theThawedProxysConfigMatchesDiscovery() {
        String ratings = pod(APPS, "app", "ratings");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(3)).untilAsserted(() -> {
            WindlassCli.Result result = WindlassCli.run(cluster, "proxy-status", ratings + "." + APPS);
            assertThat(result.output()).contains("Clusters Match", "Listeners Match", "Routes Match", "Endpoints Match");
            assertThat(result.code()).isZero();
        });
    }

    /** The proxy-status table: each proxy's CDS, LDS, EDS and RDS states, by its {@code pod.namespace}. */
    private static Map<String, List<String>> proxyStatus(String... args) throws Exception {
        WindlassCli.Result result = WindlassCli.run(cluster, args);
        assertThat(result.code()).as(result.errors()).isZero();
        List<String> lines = result.output().lines().toList();
        assertThat(lines.getFirst().split(" +")).containsExactly("NAME", "CDS", "LDS", "EDS", "RDS", "DISCOVERY");
        Map<String, List<String>> rows = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(" {2,}");
            rows.put(cells[0], List.of(cells).subList(1, 5));
        }
        return rows;
    }

    /** An Istio resource applied as {@code kubectl apply -n default -f} does; removed again after the class. */
    private static void applyIstio(String yaml) {
        for (HasMetadata object : client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
            GenericKubernetesResource resource = (GenericKubernetesResource) object;
            applied.add(client.genericKubernetesResources(resource.getApiVersion(), resource.getKind()).inNamespace(APPS)
                    .resource(resource).fieldManager("kubectl").forceConflicts().serverSideApply());
        }
    }

    /** Istio's Bookinfo task YAML, unchanged (test resources istio-tasks/). */
    private static String task(String name) throws Exception {
        try (var in = Day2CliE2ETest.class.getResourceAsStream("/istio-tasks/" + name)) {
            return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String pod(String namespace, String label, String value) {
        return pod(namespace, Map.of(label, value));
    }

    /** The name of a ready pod with these labels, once there is one. */
    private static String pod(String namespace, Map<String, String> labels) {
        await().atMost(Duration.ofMinutes(3)).until(() -> client.pods().inNamespace(namespace).withLabels(labels).list().getItems()
                .stream().anyMatch(Day2CliE2ETest::ready));
        return client.pods().inNamespace(namespace).withLabels(labels).list().getItems().stream().filter(Day2CliE2ETest::ready)
                .findFirst().orElseThrow().getMetadata().getName();
    }

    private static boolean ready(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
