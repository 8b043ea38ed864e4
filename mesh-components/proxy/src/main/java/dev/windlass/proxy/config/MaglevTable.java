package dev.windlass.proxy.config;

import java.util.Arrays;
import java.util.List;

/**
 * Maglev's lookup table (Eisenbud et al., NSDI 2016, as Envoy's MaglevTable builds it): each endpoint has a
 * preference list of table slots, a permutation given by two hashes of its address (an offset and a skip, the table
 * size being prime); endpoints take turns claiming their next free preferred slot until the table is full. Every
 * endpoint ends with a near-equal share, and one endpoint more or less moves few slots. A request's hash modulo the
 * size picks the slot.
 */
final class MaglevTable implements HashTable {
    /** Envoy's and Istio's default table size (a prime). */
    static final int DEFAULT_SIZE = 65537;

    private final int[] table;

    MaglevTable(List<UpstreamEndpoint> endpoints, int size) {
        table = new int[endpoints.isEmpty() ? 0 : size];
        if (endpoints.isEmpty()) {
            return;
        }
        int hosts = endpoints.size();
        long[] offset = new long[hosts];
        long[] skip = new long[hosts];
        long[] next = new long[hosts];
        for (int host = 0; host < hosts; host++) {
            String address = endpoints.get(host).address();
            offset[host] = Long.remainderUnsigned(HashRing.hash(address), size);
            skip[host] = Long.remainderUnsigned(HashRing.hash(address + "#skip"), size - 1L) + 1;
        }
        Arrays.fill(table, -1);
        int filled = 0;
        while (filled < size) {
            for (int host = 0; host < hosts && filled < size; host++) {
                int slot;
                do {
                    slot = (int) ((offset[host] + next[host]++ * skip[host]) % size);
                } while (table[slot] >= 0);
                table[slot] = host;
                filled++;
            }
        }
    }

    @Override
    public int size() {
        return table.length;
    }

    @Override
    public int position(long hash) {
        return (int) Long.remainderUnsigned(hash, table.length);
    }

    @Override
    public int host(int position, int steps) {
        return table[(position + steps) % table.length];
    }

    /** Whether {@code n} is prime (Maglev's permutations cover the whole table only then); error below 2^-64. */
    static boolean prime(long n) {
        return n > 1 && java.math.BigInteger.valueOf(n).isProbablePrime(64);
    }
}
