package dev.windlass.discovery;

import com.google.rpc.Status;
import dev.windlass.discovery.xds.XdsType;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A real grpc-java ADS client over a real socket, speaking the protocol by hand as a test wants. */
public final class AdsClient implements AutoCloseable {
    private final ManagedChannel channel;
    private final String nodeId;
    private final Recorder<DiscoveryResponse> recorder = new Recorder<>();
    private final BlockingQueue<DiscoveryResponse> responses = recorder.values;
    public final CompletableFuture<Throwable> ended = recorder.ended;
    private final StreamObserver<DiscoveryRequest> requests;

    public AdsClient(int port, String nodeId) {
        this(ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build(), nodeId);
    }

    /** On a channel of the test's making (TLS, credentials); closed with this client. */
    public AdsClient(ManagedChannel channel, String nodeId) {
        this.channel = channel;
        this.nodeId = nodeId;
        this.requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(recorder);
    }

    /** A first request of a type (no nonce), as a connecting proxy sends. */
    public void subscribe(XdsType type, List<String> names) {
        requests.onNext(request(type, names).build());
    }

    public void ack(DiscoveryResponse response, List<String> names) {
        requests.onNext(request(typeOf(response), names).setVersionInfo(response.getVersionInfo())
                .setResponseNonce(response.getNonce()).build());
    }

    /** Rejects {@code response}: the nonce is the rejected one, the version the last accepted one (as Envoy does). */
    public void nack(DiscoveryResponse response, String previousVersion, List<String> names, String message) {
        requests.onNext(request(typeOf(response), names).setVersionInfo(previousVersion)
                .setResponseNonce(response.getNonce())
                .setErrorDetail(Status.newBuilder().setCode(3).setMessage(message)).build());
    }

    private DiscoveryRequest.Builder request(XdsType type, List<String> names) {
        return DiscoveryRequest.newBuilder().setNode(Node.newBuilder().setId(nodeId))
                .setTypeUrl(type.typeUrl()).addAllResourceNames(names);
    }

    private static XdsType typeOf(DiscoveryResponse response) {
        return XdsType.of(response.getTypeUrl()).orElseThrow();
    }

    public DiscoveryResponse next(XdsType expected) throws InterruptedException {
        DiscoveryResponse response = responses.poll(10, TimeUnit.SECONDS);
        assertThat(response).as("a %s response", expected).isNotNull();
        assertThat(response.getTypeUrl()).isEqualTo(expected.typeUrl());
        return response;
    }

    /** Fails if any response arrives within {@code wait}. */
    public void expectNothing(Duration wait) throws InterruptedException {
        DiscoveryResponse response = responses.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(response).as("no further response").isNull();
    }

    /**
     * ACKs every response of {@code type} (keeping {@code names} subscribed) until one satisfies {@code until};
     * for following a registry that changes in steps.
     */
    public DiscoveryResponse awaitResponse(XdsType type, List<String> names,
                                           java.util.function.Predicate<DiscoveryResponse> until) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            DiscoveryResponse response = responses.poll(100, TimeUnit.MILLISECONDS);
            if (response != null && response.getTypeUrl().equals(type.typeUrl())) {
                ack(response, names);
                if (until.test(response)) {
                    return response;
                }
            }
        }
        throw new AssertionError("no matching " + type + " response within 20 s");
    }

    public void hangUp() {
        requests.onCompleted();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
