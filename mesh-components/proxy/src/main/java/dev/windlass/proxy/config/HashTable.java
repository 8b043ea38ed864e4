package dev.windlass.proxy.config;

import java.util.List;

/**
 * A consistent-hash lookup structure built once per balancer: Envoy's ring hash or its Maglev table. A request's hash
 * finds a position; stepping from it gives the next candidates (for skipping ejected hosts).
 */
interface HashTable {

    /** The table of a RING_HASH or MAGLEV cluster over its usable endpoints, else null. */
    static HashTable of(ClusterConfig cluster, List<UpstreamEndpoint> endpoints) {
        return switch (cluster.lbPolicy()) {
            case RING_HASH -> new HashRing(endpoints, cluster.hashTableSize());
            case MAGLEV -> new MaglevTable(endpoints, cluster.hashTableSize());
            case ROUND_ROBIN, LEAST_REQUEST, RANDOM -> null;
        };
    }

    int size();

    /** Where the lookup for {@code hash} starts. */
    int position(long hash);

    /** The endpoint index {@code steps} entries after {@code position}, wrapping. */
    int host(int position, int steps);
}
