package dev.windlass.samples.load;

import dev.windlass.samples.bookinfo.Json;

import java.io.PrintStream;
import java.net.URI;
import java.util.Map;

/**
 * {@code load ws URL} and {@code load grpc HOST:PORT}: one long-lived WebSocket or gRPC bidirectional stream to an
 * echo server, a numbered message every 1/QPS s (default 10 a second) for -t (or -n messages), each echo checked to
 * come back in order. Then it waits up to -timeout for the last echoes and ends the stream as its protocol does.
 * Prints a line in words and a JSON line last; exits 0 only when every message came back in order and the stream
 * ended cleanly.
 */
final class StreamLoad {
    private static final double DEFAULT_QPS = 10;

    private StreamLoad() {
    }

    static int run(String protocol, LoadOptions options, PrintStream out) throws InterruptedException {
        if (options.positional().size() != 1) {
            throw new IllegalArgumentException("load " + protocol + " needs one target: "
                    + (protocol.equals("ws") ? "ws://HOST:PORT/PATH" : "HOST:PORT"));
        }
        String target = options.positional().getFirst();
        EchoTally tally = new EchoTally();
        long timeout = options.timeout().toMillis();
        double seconds = 0;
        String failure;
        try (EchoStream stream = open(protocol, target, options, tally)) {
            seconds = pace(stream, tally, options);
            tally.awaitAll(timeout);
            stream.finish(timeout);
            failure = stream.failure();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            failure = String.valueOf(e);
        }
        Map<String, Object> summary = tally.counts();
        summary.put("seconds", Math.round(seconds * 10) / 10.0);
        summary.put("protocol", protocol);
        summary.put("target", target);
        if (failure != null) {
            summary.put("error", failure);
        }
        out.printf("%s %s: %d sent, %d echoed, %d lost, %d out of order over %.1f s%s%n", protocol, target,
                summary.get("sent"), summary.get("received"), summary.get("lost"), summary.get("outOfOrder"), seconds,
                failure == null ? "" : "; " + failure);
        out.println(Json.write(summary));
        return tally.clean() && failure == null ? 0 : 1;
    }

    private static EchoStream open(String protocol, String target, LoadOptions options, EchoTally tally) throws Exception {
        return switch (protocol) {
            case "ws" -> WebSocketEchoStream.open(URI.create(target), options.timeout(), tally);
            case "grpc" -> GrpcEchoStream.open(target, tally);
            default -> throw new IllegalArgumentException("no stream protocol " + protocol);
        };
    }

    /** Sends at a fixed rate until -n messages or -t elapsed, or the stream failed; returns the seconds it sent for. */
    private static double pace(EchoStream stream, EchoTally tally, LoadOptions options) throws Exception {
        long interval = (long) (1e9 / (options.qps() > 0 ? options.qps() : DEFAULT_QPS));
        long start = System.nanoTime();
        long end = options.requests() > 0 ? Long.MAX_VALUE : start + options.duration().toNanos();
        for (long n = 0; (options.requests() == 0 || n < options.requests()) && stream.failure() == null; n++) {
            long due = start + n * interval;
            if (due >= end) {
                sleepUntil(end); // the stream stays open for all of -t, not only until the last message
                break;
            }
            sleepUntil(due);
            stream.send(tally.next());
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
