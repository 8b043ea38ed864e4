package dev.windlass.bench.ads;

import java.util.List;

/**
 * The discovery server with {@code proxies} simulated sidecars connected: how long until all had their first full
 * configuration (ACKed CDS, EDS, LDS, RDS), the CPU it spent on that and its RSS before and after, and how long
 * each push took from the apiserver write until the last proxy ACKed it.
 */
public record AdsResult(int proxies, double firstFullConfigMs, long incomplete, double connectCpuSeconds,
                        double rssIdleMiB, double rssConnectedMiB, List<Double> endpointPushMs,
                        List<Double> servicePushMs, double pushCpuSeconds, int streamsEnded, String loadAverage) {

    public double connectCpuMsPerProxy() {
        return connectCpuSeconds * 1000 / proxies;
    }

    public double rssKiBPerProxy() {
        return (rssConnectedMiB - rssIdleMiB) * 1024 / proxies;
    }
}
