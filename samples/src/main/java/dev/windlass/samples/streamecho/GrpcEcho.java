package dev.windlass.samples.streamecho;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.net.InetSocketAddress;

/** The gRPC half of stream-echo: plaintext h2c, every message of a Chat stream sent back on it, in order. */
final class GrpcEcho {
    private GrpcEcho() {
    }

    /** Serves on {@code port} (0 picks a free one); {@code drop} decides which messages of a stream go unanswered. */
    static Server start(int port, DropRule drop) throws IOException {
        ServerServiceDefinition service = ServerServiceDefinition.builder(EchoProtocol.CHAT.getServiceName())
                .addMethod(EchoProtocol.CHAT, ServerCalls.asyncBidiStreamingCall(replies -> new Stream(replies, drop)))
                .build();
        return NettyServerBuilder.forAddress(new InetSocketAddress(port)).addService(service).build().start();
    }

    private static final class Stream implements StreamObserver<String> {
        private final StreamObserver<String> replies;
        private final DropRule drop;
        private long received;

        Stream(StreamObserver<String> replies, DropRule drop) {
            this.replies = replies;
            this.drop = drop;
        }

        @Override
        public void onNext(String message) {
            if (!drop.drops(received++)) {
                replies.onNext(message);
            }
        }

        @Override
        public void onError(Throwable t) {
            // The client went away: nothing left to answer.
        }

        @Override
        public void onCompleted() {
            replies.onCompleted();
        }
    }
}
