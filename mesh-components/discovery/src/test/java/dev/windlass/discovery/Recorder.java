package dev.windlass.discovery;

import io.grpc.stub.StreamObserver;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/** A gRPC response observer that keeps what arrives: the messages, and how the stream ended (null: completed). */
public final class Recorder<T> implements StreamObserver<T> {
    public final BlockingQueue<T> values = new LinkedBlockingQueue<>();
    public final CompletableFuture<Throwable> ended = new CompletableFuture<>();

    @Override
    public void onNext(T value) {
        values.add(value);
    }

    @Override
    public void onError(Throwable t) {
        ended.complete(t);
    }

    @Override
    public void onCompleted() {
        ended.complete(null);
    }
}
