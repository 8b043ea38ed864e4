package dev.windlass.proxy.config;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where a route sends its traffic: one cluster, or several by weight, each with its own header edits and host
 * rewrite. The weights are a cumulative table built once, so a pick is one random draw and a short scan.
 */
public final class WeightedClusters {

    /** One cluster of the split. {@code hostRewrite} null keeps the route's. */
    public record Entry(String name, int weight, HeaderMutation requestHeaders, HeaderMutation responseHeaders,
                        String hostRewrite) {
    }

    private final Entry[] entries;
    private final int[] cumulative;

    public WeightedClusters(List<Entry> entries) throws InvalidConfigException {
        this.entries = entries.toArray(Entry[]::new);
        this.cumulative = new int[this.entries.length];
        long total = 0;
        for (int i = 0; i < this.entries.length; i++) {
            total += this.entries[i].weight();
            if (total > Integer.MAX_VALUE) {
                throw new InvalidConfigException("weighted clusters: total weight over " + Integer.MAX_VALUE);
            }
            cumulative[i] = (int) total;
        }
        if (this.entries.length == 0 || total <= 0) {
            throw new InvalidConfigException("weighted clusters: no cluster with a weight");
        }
    }

    public static WeightedClusters single(String cluster) {
        try {
            return new WeightedClusters(List.of(new Entry(cluster, 1, HeaderMutation.NONE, HeaderMutation.NONE, null)));
        } catch (InvalidConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cluster for one request. */
    public Entry pick() {
        if (entries.length == 1) {
            return entries[0];
        }
        int ticket = ThreadLocalRandom.current().nextInt(cumulative[cumulative.length - 1]);
        for (int i = 0; i < cumulative.length; i++) {
            if (ticket < cumulative[i]) {
                return entries[i];
            }
        }
        return entries[entries.length - 1];
    }

    public List<Entry> entries() {
        return List.of(entries);
    }
}
