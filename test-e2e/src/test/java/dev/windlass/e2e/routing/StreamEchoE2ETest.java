package dev.windlass.e2e.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tier 3, issue 25 must-show 4 on the real cluster: a WebSocket echo and a gRPC bidirectional stream between two
 * injected pods, through the client's and the server's sidecars, 60 s each and both at once, with no message lost or
 * out of order. The samples' stream-echo server (samples/stream-echo/stream-echo.yaml, unchanged) and the load
 * client's ws and grpc modes, exec'd in the load-client pod. Both sidecars' counters show they carried the streams:
 * the WebSocket tunnel open on each while it ran, one upgrade each, one finished gRPC request each (mTLS at the server).
 * Its own demo mesh and namespace.
 */
@Tag("e2e")
class StreamEchoE2ETest {
    private static final Logger LOG = LoggerFactory.getLogger(StreamEchoE2ETest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MESH = "streams-mesh";
    private static final String APPS = "streams-echo";
    private static final String WS = "ws://stream-echo:8080/ws";
    private static final String GRPC = "stream-echo:9090";
    private static OwnMesh mesh;
    private static MeshApps apps;

    @BeforeAll
    static void installMeshAndApps() throws Exception {
        mesh = OwnMesh.connect(MESH, APPS);
        apps = mesh.install();
        apps.apply(APPS, "samples/stream-echo/stream-echo.yaml");
        apps.applyLoadClient(APPS);
        apps.awaitDeployments(APPS);
        // The client's sidecar learns stream-echo's endpoint with an EDS push just after the pods became ready.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().until(() ->
                apps.load(APPS, "load-client", "ws", "-n", "3", WS).code() == 0
                        && apps.load(APPS, "load-client", "grpc", "-n", "3", GRPC).code() == 0);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (mesh != null) {
            mesh.remove();
        }
    }

    @Test
    void aWebSocketAndAGrpcStreamRunSixtySecondsAtOnceThroughBothSidecarsLosingNothing() throws Exception {
        Pod clientPod = apps.pod(APPS, "load-client");
        Pod serverPod = apps.pod(APPS, "stream-echo");
        SidecarCounters clientBefore = clientSide(clientPod);
        SidecarCounters serverBefore = serverSide(serverPod);

        CompletableFuture<MeshApps.Exec> ws = stream("ws", WS);
        CompletableFuture<MeshApps.Exec> grpc = stream("grpc", GRPC);
        Thread.sleep(30_000);
        assertThat(clientSide(clientPod).upgradesActive()).as("the client sidecar's open WebSocket tunnels, mid-run").isEqualTo(1);
        assertThat(serverSide(serverPod).upgradesActive()).as("the server sidecar's open WebSocket tunnels, mid-run").isEqualTo(1);

        assertLostNothing("ws", ws.join());
        assertLostNothing("grpc", grpc.join());
        // A request's metrics are recorded just after it ended, which the client may see first.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            SidecarCounters clientAfter = clientSide(clientPod);
            SidecarCounters serverAfter = serverSide(serverPod);
            assertThat(clientAfter.upgradesTotal() - clientBefore.upgradesTotal()).as("client sidecar upgrades").isEqualTo(1);
            assertThat(serverAfter.upgradesTotal() - serverBefore.upgradesTotal()).as("server sidecar upgrades").isEqualTo(1);
            assertThat(clientAfter.grpcRequests() - clientBefore.grpcRequests()).as("client sidecar gRPC streams").isEqualTo(1);
            assertThat(serverAfter.grpcRequests() - serverBefore.grpcRequests()).as("server sidecar gRPC streams, mTLS").isEqualTo(1);
        });
    }

    private static CompletableFuture<MeshApps.Exec> stream(String protocol, String target) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return apps.load(APPS, "load-client", protocol, "-t", "60s", "-qps", "10", target);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
    }

    /** Every message of 60 s at 10 a second came back, in order, and the stream ended cleanly. */
    private static void assertLostNothing(String protocol, MeshApps.Exec run) throws Exception {
        LOG.info("load {}:\n{}{}", protocol, run.out(), run.err());
        JsonNode summary = JSON.readTree(run.out().lines().reduce((first, last) -> last).orElse("{}"));
        assertThat(run.code()).as(protocol + ": " + run.out() + run.err()).isZero();
        assertThat(summary.path("sent").asLong()).as(protocol + " sent").isBetween(595L, 600L);
        assertThat(summary.path("received").asLong()).as(protocol + " received").isEqualTo(summary.path("sent").asLong());
        assertThat(summary.path("lost").asLong()).as(protocol + " lost").isZero();
        assertThat(summary.path("outOfOrder").asLong()).as(protocol + " out of order").isZero();
        assertThat(summary.path("seconds").asDouble()).as(protocol + " seconds").isGreaterThanOrEqualTo(60.0);
    }

    private static SidecarCounters clientSide(Pod pod) throws Exception {
        return SidecarCounters.read(apps, APPS, pod, "source");
    }

    private static SidecarCounters serverSide(Pod pod) throws Exception {
        return SidecarCounters.read(apps, APPS, pod, "destination", "connection_security_policy=\"mutual_tls\"");
    }
}
