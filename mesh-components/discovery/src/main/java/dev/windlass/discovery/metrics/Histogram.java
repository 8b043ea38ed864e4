package dev.windlass.discovery.metrics;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A Prometheus histogram with fixed upper bounds: cumulative buckets, a sum and a count. */
final class Histogram {
    private final double[] bounds;
    private final LongAdder[] buckets;
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sum = new DoubleAdder();

    Histogram(double[] bounds) {
        this.bounds = bounds.clone();
        this.buckets = new LongAdder[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void observe(double value) {
        for (int i = 0; i < bounds.length; i++) {
            if (value <= bounds[i]) {
                buckets[i].increment();
                break;
            }
        }
        count.increment();
        sum.add(value);
    }

    void write(StringBuilder out, String name) {
        long cumulative = 0;
        for (int i = 0; i < bounds.length; i++) {
            cumulative += buckets[i].sum();
            out.append(name).append("_bucket{le=\"").append(bounds[i]).append("\"} ").append(cumulative).append('\n');
        }
        out.append(name).append("_bucket{le=\"+Inf\"} ").append(count.sum()).append('\n');
        out.append(name).append("_sum ").append(sum.sum()).append('\n');
        out.append(name).append("_count ").append(count.sum()).append('\n');
    }
}
