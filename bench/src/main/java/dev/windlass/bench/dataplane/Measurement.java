package dev.windlass.bench.dataplane;

import java.util.List;

/** One load on one topology in one repetition, with what each proxy on the path used meanwhile. */
public record Measurement(int repeat, String shape, String topology, LoadResult load, List<ProxyUsage> proxies,
                          String loadAverage) {

    /**
     * CPU seconds the proxy used during the load, per 1000 requests (at 1000 requests/s this is also the vCPUs it
     * used), its CPU as cores used on average, and its RSS while the load ran.
     */
    public record ProxyUsage(String proxy, double cpuSeconds, double cpuSecondsPer1000Requests, double cores,
                             double rssSteadyMiB, double rssPeakMiB) {
    }
}
