package dev.windlass.proxy.telemetry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests total (counter) and request duration (histogram, milliseconds, Istio's buckets) per label set.
 * Recording is lock-free: a concurrent map lookup and adders.
 */
public final class RequestMetrics {
    static final double[] BUCKETS = {0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000,
            300000, 600000, 1800000, 3600000};

    private final Map<RequestLabels, Series> series = new ConcurrentHashMap<>();
    private final String prefix;

    /** Names start {@code istio_} with Istio's exact names, {@code windlass_} otherwise. */
    public RequestMetrics(boolean istioNames) {
        this.prefix = istioNames ? "istio" : "windlass";
    }

    public void record(RequestLabels labels, double durationMillis) {
        series.computeIfAbsent(labels, l -> new Series()).record(durationMillis);
    }

    /** The request count for a label set, for tests and /stats. */
    public long count(RequestLabels labels) {
        Series s = series.get(labels);
        return s == null ? 0 : s.count.sum();
    }

    public long total() {
        return series.values().stream().mapToLong(s -> s.count.sum()).sum();
    }

    /** The Prometheus text exposition (version 0.0.4) of both metrics. */
    public void writePrometheus(StringBuilder out) {
        String requests = prefix + "_requests_total";
        String duration = prefix + "_request_duration_milliseconds";
        out.append("# TYPE ").append(requests).append(" counter\n");
        series.forEach((labels, s) -> sample(out, requests, labels.values(), null, s.count.sum()));
        out.append("# TYPE ").append(duration).append(" histogram\n");
        series.forEach((labels, s) -> s.writeHistogram(out, duration, labels.values()));
    }

    static void sample(StringBuilder out, String name, String[] values, String le, double value) {
        out.append(name).append('{');
        for (int i = 0; i < values.length; i++) {
            out.append(RequestLabels.NAMES[i]).append("=\"").append(escape(values[i])).append("\",");
        }
        if (le != null) {
            out.append("le=\"").append(le).append("\",");
        }
        out.setLength(out.length() - 1);
        out.append("} ").append(format(value)).append('\n');
    }

    static String escape(String value) {
        if (value == null) {
            return "unknown";
        }
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value) : String.valueOf(value);
    }

    private static final class Series {
        final LongAdder count = new LongAdder();
        final LongAdder[] buckets = new LongAdder[BUCKETS.length];
        final DoubleAdder sum = new DoubleAdder();

        Series() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        void record(double millis) {
            count.increment();
            sum.add(millis);
            for (int i = 0; i < BUCKETS.length; i++) {
                if (millis <= BUCKETS[i]) {
                    buckets[i].increment();
                    break;
                }
            }
        }

        void writeHistogram(StringBuilder out, String name, String[] values) {
            long cumulative = 0;
            for (int i = 0; i < BUCKETS.length; i++) {
                cumulative += buckets[i].sum();
                sample(out, name + "_bucket", values, format(BUCKETS[i]), cumulative);
            }
            long total = count.sum();
            sample(out, name + "_bucket", values, "+Inf", Math.max(total, cumulative));
            sample(out, name + "_sum", values, null, sum.sum());
            sample(out, name + "_count", values, null, total);
        }
    }
}
