package dev.windlass.proxy.netns;

import dev.windlass.proxy.testing.GrpcStrings;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC bidirectional stream for the network-namespace pair, run as its own process in each pod: {@code serve PORT}
 * echoes every message of a stream back on it; {@code call HOST:PORT MESSAGES SECONDS} sends that many messages
 * spread over that long on one stream and prints how many came back in order.
 */
public final class GrpcStreams {
    static final MethodDescriptor<String, String> CHAT = GrpcStrings.method("test.Echo/Chat",
            MethodDescriptor.MethodType.BIDI_STREAMING);

    private GrpcStreams() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("serve")) {
            serve(Integer.parseInt(args[1]));
        } else {
            call(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        }
    }

    private static void serve(int port) throws Exception {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("0.0.0.0", port))
                .addService(ServerServiceDefinition.builder("test.Echo").addMethod(CHAT,
                        ServerCalls.asyncBidiStreamingCall(out -> new StreamObserver<String>() {
                            @Override
                            public void onNext(String message) {
                                out.onNext(message);
                            }

                            @Override
                            public void onError(Throwable t) {
                            }

                            @Override
                            public void onCompleted() {
                                out.onCompleted();
                            }
                        })).build()).build().start();
        System.out.println("ready");
        System.out.flush();
        server.awaitTermination();
    }

    private static void call(String target, int messages, int seconds) throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
        List<String> echoed = new CopyOnWriteArrayList<>();
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(channel.newCall(CHAT,
                io.grpc.CallOptions.DEFAULT.withDeadlineAfter(seconds + 30L, TimeUnit.SECONDS)), new StreamObserver<>() {
            @Override
            public void onNext(String message) {
                echoed.add(message);
            }

            @Override
            public void onError(Throwable t) {
                ended.complete(t);
            }

            @Override
            public void onCompleted() {
                ended.complete(null);
            }
        });
        long pause = TimeUnit.SECONDS.toMillis(seconds) / messages;
        for (int i = 0; i < messages; i++) {
            requests.onNext("message " + i);
            Thread.sleep(pause);
        }
        requests.onCompleted();
        Throwable failure = ended.get(30, TimeUnit.SECONDS);
        boolean inOrder = true;
        for (int i = 0; i < echoed.size(); i++) {
            inOrder &= echoed.get(i).equals("message " + i);
        }
        System.out.println("sent " + messages + ", echoed " + echoed.size() + (inOrder ? " in order" : " OUT OF ORDER")
                + (failure == null ? ", stream completed" : ", stream failed: " + failure));
        channel.shutdownNow();
    }
}
