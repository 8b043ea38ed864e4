package dev.windlass.proxy.it;

import dev.windlass.proxy.Role;
import dev.windlass.proxy.testing.GrpcStrings;
import dev.windlass.proxy.testing.ProxyHarness;
import dev.windlass.proxy.testing.RawHttp;
import dev.windlass.proxy.testing.TestAdsServer;
import dev.windlass.proxy.xds.ResourceType;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.windlass.proxy.testing.Resources.endpoints;
import static dev.windlass.proxy.testing.Resources.gatewayListener;
import static dev.windlass.proxy.testing.Resources.h2Cluster;
import static dev.windlass.proxy.testing.Resources.routes;
import static dev.windlass.proxy.testing.Resources.virtualHost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * gRPC over h2c end to end: a real grpc-java client speaks prior-knowledge h2c to a gateway listener of the
 * proxy, which forwards over h2c to a real grpc-java server (the cluster has http2 protocol options). Trailers
 * (grpc-status) must survive both hops.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcThroughProxyTest {
    private static final String CLUSTER = "outbound|50051||echo.test.svc.cluster.local";
    private static final MethodDescriptor<String, String> SAY = GrpcStrings.method("test.Echo/Say",
            MethodDescriptor.MethodType.UNARY);

    private TestAdsServer ads;
    private Server echo;
    private ProxyHarness gateway;
    private ManagedChannel client;
    private int listenerPort;

    @BeforeEach
    void start() throws Exception {
        ads = new TestAdsServer();
        echo = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerServiceDefinition.builder("test.Echo").addMethod(SAY,
                        ServerCalls.asyncUnaryCall((String request, io.grpc.stub.StreamObserver<String> out) -> {
                            if (request.equals("slow")) {
                                try {
                                    Thread.sleep(3_000);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            }
                            if (request.equals("missing")) {
                                out.onError(Status.NOT_FOUND.withDescription("no such thing").asRuntimeException());
                                return;
                            }
                            out.onNext("echo:" + request);
                            out.onCompleted();
                        })).build()).build().start();
        try (ServerSocket free = new ServerSocket(0)) {
            listenerPort = free.getLocalPort();
        }
        gateway = new ProxyHarness(Role.ROUTER, ads.address(), Map.of());
        ads.set(ResourceType.CDS, "1", h2Cluster(CLUSTER));
        ads.set(ResourceType.EDS, "1", endpoints(CLUSTER, "echo-v1", "127.0.0.1:" + echo.getPort()));
        ads.set(ResourceType.LDS, "1", gatewayListener("127.0.0.1", listenerPort, "grpc"));
        ads.set(ResourceType.RDS, "1", routes("grpc", virtualHost("echo", List.of("*"), CLUSTER)));
        gateway.awaitReady(Duration.ofSeconds(10));
        client = NettyChannelBuilder.forAddress("127.0.0.1", listenerPort).usePlaintext().build();
    }

    @AfterEach
    void stop() throws Exception {
        client.shutdownNow();
        gateway.close();
        echo.shutdownNow();
        ads.close();
    }

    @Test
    void unaryCallsGoThroughOverH2cBothWays() {
        for (int i = 0; i < 20; i++) {
            String reply = ClientCalls.blockingUnaryCall(client, SAY, io.grpc.CallOptions.DEFAULT
                    .withDeadlineAfter(5, TimeUnit.SECONDS), "hello " + i);
            assertThat(reply).isEqualTo("echo:hello " + i);
        }
    }

    @Test
    void grpcStatusInTrailersReachesTheClient() {
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(client, SAY,
                io.grpc.CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "missing"))
                .isInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> {
                    Status status = ((StatusRuntimeException) e).getStatus();
                    assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(status.getDescription()).isEqualTo("no such thing");
                });
    }

    @Test
    void anHttp1RequestIsForwardedOverH2cToAnHttp2Cluster() throws IOException {
        byte[] frame = {0, 0, 0, 0, 2, 'h', 'i'};
        String head = "POST /test.Echo/Say HTTP/1.1\r\nHost: echo\r\ncontent-type: application/grpc\r\nte: trailers\r\n"
                + "Content-Length: " + frame.length + "\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", listenerPort)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(frame);
            RawHttp.Response response = RawHttp.read(socket.getInputStream());
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("content-type")).isEqualTo("application/grpc");
            assertThat(response.body()).contains("echo:hi");
        }
    }

    /**
     * A reply the proxy makes itself to a gRPC request is a gRPC answer (HTTP 200, trailers-only, Envoy's status
     * mapping), so a gRPC client reads a status, not a protocol error: no upstream is UNAVAILABLE with Envoy's text.
     * The request metrics count the 200 that was sent.
     */
    @Test
    void aReplyOfTheProxyIsAGrpcStatusAGrpcClientReads() throws IOException {
        echo.shutdownNow();
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(client, SAY,
                io.grpc.CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "hello"))
                .isInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> {
                    Status status = ((StatusRuntimeException) e).getStatus();
                    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(status.getDescription()).startsWith("upstream connect error or disconnect/reset before headers");
                });
        // counted as what went on the wire, as Envoy and Istio's metrics count it: a 200 (carrying grpc-status 14)
        gateway.awaitPrometheus("response_code=\"200\"");
        assertThat(gateway.prometheus()).doesNotContain("response_code=\"503\"");
    }

    /**
     * A route without a timeout but with {@code max_stream_duration.grpc_timeout_header_max} 300 ms honours the
     * request's {@code grpc-timeout}, capped: a call asking 10 s of a server that takes 3 s is answered by the proxy
     * at 300 ms with DEADLINE_EXCEEDED (over HTTP/1.1 here, so that the client's own deadline cannot be what answered;
     * and 10 s, so that the server, which reads the same header, cannot reset the call first: that race is an upstream
     * reset, UNAVAILABLE, in Envoy too). Without the header the route has no timeout at all.
     */
    @Test
    void grpcTimeoutBoundsTheCallAndTheProxyAnswersDeadlineExceeded() throws Exception {
        ads.set(ResourceType.RDS, "2", routes("grpc", io.envoyproxy.envoy.config.route.v3.VirtualHost.newBuilder()
                .setName("echo").addDomains("*").addRoutes(io.envoyproxy.envoy.config.route.v3.Route.newBuilder()
                        .setName("default").setMatch(io.envoyproxy.envoy.config.route.v3.RouteMatch.newBuilder().setPrefix("/"))
                        .setRoute(io.envoyproxy.envoy.config.route.v3.RouteAction.newBuilder().setCluster(CLUSTER)
                                .setTimeout(com.google.protobuf.Duration.getDefaultInstance())
                                .setMaxStreamDuration(io.envoyproxy.envoy.config.route.v3.RouteAction.MaxStreamDuration
                                        .newBuilder().setGrpcTimeoutHeaderMax(com.google.protobuf.Duration.newBuilder()
                                                .setNanos(300_000_000)))))
                .build()));
        Thread.sleep(500); // the route update lands on the next request's lookup
        byte[] frame = {0, 0, 0, 0, 4, 's', 'l', 'o', 'w'};
        String head = "POST /test.Echo/Say HTTP/1.1\r\nHost: echo\r\ncontent-type: application/grpc\r\nte: trailers\r\n"
                + "grpc-timeout: 10S\r\nContent-Length: " + frame.length + "\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", listenerPort)) {
            socket.setSoTimeout(2500);
            long start = System.nanoTime();
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(frame);
            RawHttp.Response response = RawHttp.read(socket.getInputStream());
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("grpc-status")).as("DEADLINE_EXCEEDED").isEqualTo("4");
            assertThat(response.header("grpc-message")).isEqualTo("upstream request timeout");
            assertThat(millis).as("answered by the proxy at the deadline, not by the server").isLessThan(2500);
        }
    }
}
