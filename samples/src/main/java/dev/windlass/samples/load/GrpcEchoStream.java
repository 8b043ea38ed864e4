package dev.windlass.samples.load;

import dev.windlass.samples.streamecho.EchoProtocol;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;

import java.util.concurrent.TimeUnit;

/** One gRPC bidirectional stream (plaintext h2c, grpc-java over Netty) to stream-echo's Chat method. */
final class GrpcEchoStream extends EchoStream {
    private final ManagedChannel channel;
    private final StreamObserver<String> requests;

    private GrpcEchoStream(String target, EchoTally tally) {
        channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
        requests = ClientCalls.asyncBidiStreamingCall(channel.newCall(EchoProtocol.CHAT, CallOptions.DEFAULT),
                new StreamObserver<>() {
                    @Override
                    public void onNext(String echo) {
                        tally.echoed(echo);
                    }

                    @Override
                    public void onError(Throwable t) {
                        failed(Status.fromThrowable(t).toString());
                        ended();
                    }

                    @Override
                    public void onCompleted() {
                        ended();
                    }
                });
    }

    /** Starts the stream to {@code target} (HOST:PORT); a target that cannot be reached shows up as its failure. */
    static GrpcEchoStream open(String target, EchoTally tally) {
        return new GrpcEchoStream(target, tally);
    }

    @Override
    void send(String message) {
        requests.onNext(message);
    }

    /** The client's half-close; the server's end of the call (status OK) ends the stream. */
    @Override
    void requestEnd(long timeoutMillis) {
        requests.onCompleted();
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
