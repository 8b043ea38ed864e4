package dev.windlass.samples.load;

import dev.windlass.samples.bookinfo.Json;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * fortio's {@code load}: C connections, each a thread with one kept-alive HTTP/1.1 connection, sharing the requests
 * out, and a summary whose "Code 200 : 17 (85.0 %)" lines read as fortio's do. A request with no answer (refused,
 * reset, timed out) counts as code -1, as in fortio, and the next one opens a new connection.
 */
final class HttpLoad {
    /** The header value tallied when a response lacks the header (a proxy's own 503, say). */
    static final String NONE = "(none)";

    private final LoadOptions options;
    private final Target target;
    private final Map<Integer, Integer> codes = new TreeMap<>();
    private final Map<String, Map<String, Integer>> headerValues = new LinkedHashMap<>();
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger sockets = new AtomicInteger();

    HttpLoad(LoadOptions options, Target target) {
        this.options = options;
        this.target = target;
        options.countHeaders().forEach(h -> headerValues.put(h, new TreeMap<>()));
    }

    /** Runs the load and prints the summary to {@code out}. */
    void run(PrintStream out) throws InterruptedException {
        int c = options.connections();
        String amount = options.requests() > 0 ? "exactly " + options.requests() + " calls" : "for " + options.duration();
        out.printf("Starting at %s with %d connection(s) %s to %s%n",
                options.qps() > 0 ? options.qps() + " qps" : "max qps", c, amount, target.url());
        long start = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            int calls = options.requests() > 0 ? options.requests() / c + (i < options.requests() % c ? 1 : 0) : Integer.MAX_VALUE;
            workers.add(Thread.ofPlatform().name("load-" + i).start(() -> work(calls, start)));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        report(out, System.nanoTime() - start);
    }

    private void work(int calls, long start) {
        long deadline = options.requests() > 0 ? Long.MAX_VALUE : start + options.duration().toNanos();
        // Each connection sends its share of the qps, evenly spaced.
        long interval = options.qps() > 0 ? (long) (1e9 * options.connections() / options.qps()) : 0;
        try (HttpConnection connection = new HttpConnection(target, options.headers(), options.timeout())) {
            for (int i = 0; i < calls && System.nanoTime() < deadline; i++) {
                if (interval > 0) {
                    long due = start + i * interval;
                    if (due >= deadline) {
                        break;
                    }
                    LockSupport.parkNanos(due - System.nanoTime());
                }
                long sent = System.nanoTime();
                HttpConnection.Reply reply = null;
                try {
                    reply = connection.send();
                } catch (IOException | RuntimeException e) {
                    connection.close();
                }
                record(reply, System.nanoTime() - sent);
            }
            sockets.addAndGet(connection.sockets());
        }
    }

    private synchronized void record(HttpConnection.Reply reply, long nanos) {
        latencies.add(nanos);
        codes.merge(reply == null ? -1 : reply.status(), 1, Integer::sum);
        headerValues.forEach((name, values) -> {
            String value = reply == null ? null : reply.headers().get(name);
            values.merge(value == null ? NONE : value, 1, Integer::sum);
        });
    }

    private synchronized void report(PrintStream out, long elapsedNanos) {
        int total = latencies.size();
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        double seconds = elapsedNanos / 1e9;
        double avg = sorted.stream().mapToLong(Long::longValue).average().orElse(0) / 1e9;
        out.printf(Locale.ROOT, "Ended after %.3fs : %d calls. qps=%.1f%n", seconds, total, total / Math.max(seconds, 1e-9));
        out.printf(Locale.ROOT, "Aggregated Function Time : count %d avg %.6f min %.6f max %.6f%n", total, avg,
                total == 0 ? 0 : sorted.getFirst() / 1e9, total == 0 ? 0 : sorted.getLast() / 1e9);
        for (double p : new double[] {50, 75, 90, 99, 99.9}) {
            out.printf(Locale.ROOT, "# target %s%% %.6f%n", p == 99.9 ? "99.9" : String.valueOf((int) p), percentile(sorted, p));
        }
        out.printf(Locale.ROOT, "All done %d calls (plus 0 warmup) %.3f ms avg, %.1f qps%n", total, avg * 1000,
                total / Math.max(seconds, 1e-9));
        out.printf("Sockets used: %d (for perfect keepalive, would be %d)%n", sockets.get(), options.connections());
        codes.forEach((code, count) -> out.printf(Locale.ROOT, "Code %3d : %d (%.1f %%)%n", code, count, 100.0 * count / total));
        headerValues.forEach((name, values) -> values.forEach((value, count) ->
                out.printf("Header %s %s : %d%n", name, value, count)));
        out.println(json(total));
    }

    private String json(int total) {
        Map<String, Object> summary = new LinkedHashMap<>();
        Map<String, Object> codeCounts = new LinkedHashMap<>();
        codes.forEach((code, count) -> codeCounts.put(String.valueOf(code), count));
        summary.put("codes", codeCounts);
        summary.put("connections", options.connections());
        summary.put("requests", total);
        summary.put("sockets", sockets.get());
        if (!headerValues.isEmpty()) {
            summary.put("headers", headerValues);
        }
        return Json.write(summary);
    }

    private static double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100 * sorted.size()) - 1;
        return sorted.get(Math.clamp(index, 0, sorted.size() - 1)) / 1e9;
    }
}
