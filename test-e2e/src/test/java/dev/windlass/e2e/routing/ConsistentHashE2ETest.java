package dev.windlass.e2e.routing;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tier 3, issue 17's must-show 3 on the real cluster: a DestinationRule hashing httpbin's two endpoints (v1 and v2,
 * told apart by the x-version header they answer with) by the request header x-user. Driven by the samples' load
 * client in a mesh pod, so the client's sidecar picks the endpoint: 100 requests with one x-user value land on one
 * endpoint, while 20 different values reach both. Before the rule, the same 100 requests reach both (round robin),
 * which shows the stickiness is the rule's doing. Then a cookie key with a ttl on a Maglev table: the client's sidecar
 * sets the cookie on the first answer, and replaying it sticks to one endpoint. Its own demo mesh and namespace.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsistentHashE2ETest {
    private static final Logger LOG = LoggerFactory.getLogger(ConsistentHashE2ETest.class);
    private static final String MESH = "ch-mesh";
    private static final String NS = "ch-httpbin";
    private static final String URL = "http://httpbin:8000/get";
    private static final Pattern VERSION = Pattern.compile("Header x-version (v\\d) : (\\d+)");
    private static OwnMesh mesh;
    private static MeshApps apps;

    @BeforeAll
    static void installMeshAndApps() throws Exception {
        mesh = OwnMesh.connect(MESH, NS);
        apps = mesh.install();
        apps.apply(NS, "samples/httpbin/httpbin.yaml");
        apps.awaitDeployments(NS);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (mesh != null) {
            mesh.remove();
        }
    }

    /** Requests per answering version for {@code requests} requests on one connection, with the given headers. */
    private static Map<String, Integer> versions(int requests, String... headers) throws Exception {
        return tally(VERSION, run(requests, "x-version", headers));
    }

    /** The load client's output for {@code requests} requests on one connection, counting one response header. */
    private static String run(int requests, String countHeader, String... headers) throws Exception {
        List<String> args = new ArrayList<>();
        for (String header : headers) {
            args.addAll(List.of("-H", header));
        }
        args.addAll(List.of("-c", "1", "-n", String.valueOf(requests), "-count-header", countHeader));
        if (!countHeader.equals("x-version")) {
            args.addAll(List.of("-count-header", "x-version"));
        }
        args.add(URL);
        MeshApps.Exec exec = apps.load(NS, "load-client", args.toArray(String[]::new));
        assertThat(exec.code()).as(exec.err()).isZero();
        assertThat(exec.out()).contains("Code 200 : " + requests + " ");
        return exec.out();
    }

    private static Map<String, Integer> tally(Pattern header, String out) {
        Map<String, Integer> counts = new TreeMap<>();
        Matcher m = header.matcher(out);
        while (m.find()) {
            counts.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return counts;
    }

    private static String configDump() throws Exception {
        return apps.admin(NS, apps.pod(NS, "load-client"), "/config_dump");
    }

    @Test
    @Order(1)
    void withoutTheRuleOneHeaderValueReachesBothEndpoints() throws Exception {
        Map<String, Integer> counts = versions(100, "x-user: alice");
        LOG.info("100 requests x-user alice, no DestinationRule: {}", counts);
        assertThat(counts).as("round robin over v1 and v2").containsOnlyKeys("v1", "v2");
    }

    /** Applies httpbin's DestinationRule with this load balancing; waits until the client's sidecar has it. */
    private static void loadBalancer(String loadBalancer, String... dumpHas) {
        apps.applyIstio(NS, "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: httpbin}\n"
                + "spec: {host: httpbin, trafficPolicy: {loadBalancer: " + loadBalancer + "}}\n");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            String dump = configDump();
            return java.util.Arrays.stream(dumpHas).allMatch(text -> dump.contains("\"" + text + "\""));
        });
    }

    /** The endpoint (version) each of 20 keys sticks to, asserting each key's 5 requests land on one. */
    private static Map<String, String> twentyKeys(java.util.function.IntFunction<String> header) throws Exception {
        Map<String, String> endpointOf = new TreeMap<>();
        for (int key = 0; key < 20; key++) {
            Map<String, Integer> counts = versions(5, header.apply(key));
            assertThat(counts).as("%s: 5 requests on one endpoint", header.apply(key)).hasSize(1);
            endpointOf.put(header.apply(key), counts.keySet().iterator().next());
        }
        LOG.info("20 keys' endpoints: {}", endpointOf);
        return endpointOf;
    }

    @Test
    @Order(2)
    void oneHeaderValueSticksToOneEndpointAndDifferentValuesSpread() throws Exception {
        loadBalancer("{consistentHash: {httpHeaderName: x-user}}", "RING_HASH", "x-user");

        Map<String, Integer> same = versions(100, "x-user: alice");
        LOG.info("100 requests x-user alice, hashed: {}", same);
        assertThat(same).as("one endpoint takes all 100").hasSize(1).containsValue(100);
        assertThat(twentyKeys(user -> "x-user: user-" + user).values()).as("different values spread over both endpoints")
                .contains("v1", "v2");
    }

    @Test
    @Order(3)
    void aCookieWithATtlIsSetByTheSidecarAndReplayingItSticksToOneEndpointOnMaglev() throws Exception {
        loadBalancer("{consistentHash: {httpCookie: {name: session, path: /, ttl: 600s}, maglev: {tableSize: 251}}}",
                "MAGLEV", "session");

        String first = run(1, "set-cookie");
        Matcher set = Pattern.compile("Header set-cookie (session=[0-9a-f]{16}); Path=/; Max-Age=600; HttpOnly : 1").matcher(first);
        assertThat(set.find()).as("the sidecar sets the missing cookie:\n%s", first).isTrue();
        String cookie = set.group(1);

        String replayed = run(50, "set-cookie", "Cookie: " + cookie);
        Map<String, Integer> counts = tally(VERSION, replayed);
        LOG.info("50 requests with {}: {}", cookie, counts);
        assertThat(counts).as("one endpoint takes all 50").hasSize(1).containsValue(50);
        assertThat(replayed).as("the cookie is there: none set again").contains("Header set-cookie (none) : 50");
        assertThat(twentyKeys(session -> "Cookie: session=s" + session).values())
                .as("different cookies spread over both endpoints").contains("v1", "v2");
    }
}
