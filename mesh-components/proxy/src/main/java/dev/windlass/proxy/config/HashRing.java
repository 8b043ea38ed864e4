package dev.windlass.proxy.config;

import java.util.Arrays;
import java.util.List;

/**
 * Envoy's ring hash, built once per balancer: each endpoint takes an equal share of at least
 * {@code minimumSize} points, placed by the hash of {@code address_i}; a request hash goes to the first point at or
 * after it (wrapping). The same key finds the same endpoint while the endpoints stay; one endpoint more or less moves
 * only the keys of its points.
 */
final class HashRing implements HashTable {
    private final long[] points;
    private final int[] hosts;

    HashRing(List<UpstreamEndpoint> endpoints, int minimumSize) {
        int perHost = endpoints.isEmpty() ? 0 : (minimumSize + endpoints.size() - 1) / endpoints.size();
        long[] packed = new long[endpoints.size() * perHost];
        long[][] byPoint = new long[packed.length][];
        int n = 0;
        for (int host = 0; host < endpoints.size(); host++) {
            String address = endpoints.get(host).address();
            for (int i = 0; i < perHost; i++) {
                byPoint[n++] = new long[] {hash(address + "_" + i), host};
            }
        }
        Arrays.sort(byPoint, (a, b) -> Long.compare(a[0], b[0]));
        points = new long[byPoint.length];
        hosts = new int[byPoint.length];
        for (int i = 0; i < byPoint.length; i++) {
            points[i] = byPoint[i][0];
            hosts[i] = (int) byPoint[i][1];
        }
    }

    @Override
    public int size() {
        return points.length;
    }

    /** The first point at or after {@code hash}, wrapping to the start. */
    @Override
    public int position(long hash) {
        int at = Arrays.binarySearch(points, hash);
        if (at < 0) {
            at = -at - 1;
        }
        return at == points.length ? 0 : at;
    }

    /** The endpoint index of the point {@code steps} after {@code position}. */
    @Override
    public int host(int position, int steps) {
        return hosts[(position + steps) % hosts.length];
    }

    /** A 64-bit hash of the text (FNV-1a, then MurmurHash3's finalizer to spread it), without allocating. */
    static long hash(CharSequence text) {
        return hash(text, 0, text.length());
    }

    static long hash(CharSequence text, int start, int end) {
        long h = 0xcbf29ce484222325L;
        for (int i = start; i < end; i++) {
            h ^= text.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }
}
