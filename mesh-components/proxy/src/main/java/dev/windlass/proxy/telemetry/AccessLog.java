package dev.windlass.proxy.telemetry;

import dev.windlass.proxy.Log;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Access log lines, written by one background thread so that event loops never block on (or lock) a stream.
 * The queue is bounded: past {@value #MAX_QUEUED} waiting lines, new ones are dropped and counted.
 */
public final class AccessLog implements AutoCloseable {
    static final int MAX_QUEUED = 10_000;

    private record Entry(String path, String line) {
    }

    private final Queue<Entry> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();
    private final Map<String, PrintStream> streams = new HashMap<>();
    private final Thread writer;
    private volatile boolean closed;

    public AccessLog() {
        writer = Thread.ofPlatform().daemon().name("access-log").unstarted(this::drainLoop);
        writer.start();
    }

    /** Queues one line for {@code path} ({@code /dev/stdout}, {@code /dev/stderr} or a file). */
    public void log(String path, String line) {
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            dropped.increment();
            return;
        }
        queue.add(new Entry(path, line));
        LockSupport.unpark(writer);
    }

    public long dropped() {
        return dropped.sum();
    }

    private void drainLoop() {
        while (!closed || !queue.isEmpty()) {
            Entry entry = queue.poll();
            if (entry == null) {
                streams.values().forEach(PrintStream::flush);
                LockSupport.parkNanos(50_000_000L);
                continue;
            }
            queued.decrementAndGet();
            stream(entry.path()).println(entry.line());
        }
        streams.values().forEach(PrintStream::flush);
    }

    private PrintStream stream(String path) {
        return streams.computeIfAbsent(path, p -> switch (p) {
            case "/dev/stdout", "" -> System.out;
            case "/dev/stderr" -> System.err;
            default -> open(p);
        });
    }

    private static PrintStream open(String path) {
        try {
            OutputStream file = new FileOutputStream(path, true);
            return new PrintStream(file, false, StandardCharsets.UTF_8);
        } catch (IOException e) {
            Log.warn("cannot open access log " + path + " (" + e.getMessage() + "); logging to stdout");
            return System.out;
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writer);
        try {
            writer.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
