package dev.windlass.samples.load;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One long-lived connection or stream to an echo server; what comes back goes to the {@link EchoTally} it was
 * opened with. A subclass reports the server's end of the stream with {@link #ended} and trouble with {@link #failed}.
 */
abstract class EchoStream implements AutoCloseable {
    private final CompletableFuture<Void> end = new CompletableFuture<>();
    private volatile String failure;

    /** Sends one message; returns once it is handed to the transport. */
    abstract void send(String message) throws Exception;

    /** Asks for the end of the stream as its protocol does: a close frame, a half-close. */
    abstract void requestEnd(long timeoutMillis) throws Exception;

    @Override
    public abstract void close();

    /** Ends the stream and waits up to {@code timeoutMillis} for the server's end. */
    final void finish(long timeoutMillis) throws Exception {
        if (end.isDone()) {
            return;
        }
        requestEnd(timeoutMillis);
        try {
            end.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            failed("the server did not end the stream within " + timeoutMillis + " ms");
        } catch (ExecutionException e) {
            failed(String.valueOf(e.getCause()));
        }
    }

    /** Why the stream failed (the first reason), or null while it has not. */
    final String failure() {
        return failure;
    }

    final void failed(String why) {
        if (failure == null) {
            failure = why;
        }
    }

    final void ended() {
        end.complete(null);
    }

    final boolean isEnded() {
        return end.isDone();
    }
}
