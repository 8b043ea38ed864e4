package dev.windlass.bench.dataplane;

/**
 * What the load tool reported: latency percentiles in milliseconds, the achieved rate, the requests done and how
 * many failed. wrk's percentiles come from closed-loop load and stop at p99 ({@code p999} is -1 for wrk).
 */
public record LoadResult(double p50, double p90, double p99, double p999, double rps, long requests, long errors,
                         double seconds) {
}
