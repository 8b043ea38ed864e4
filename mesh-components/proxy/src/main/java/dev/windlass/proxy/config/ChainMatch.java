package dev.windlass.proxy.config;

import java.net.InetAddress;
import java.util.List;

/**
 * The parts of Envoy's filter_chain_match the proxy honours: destination port and destination prefix ranges. A
 * chain that asks for TLS can never match (the proxy does not terminate TLS yet).
 */
public record ChainMatch(Integer destinationPort, List<CidrRange> prefixRanges, boolean requiresTls) {
    public static final ChainMatch ANY = new ChainMatch(null, List.of(), false);

    public ChainMatch {
        prefixRanges = List.copyOf(prefixRanges);
    }

    /**
     * How specifically this match names {@code address}: the longest containing prefix plus one (so that even a
     * /0 beats a chain without ranges), 0 when there are no ranges, -1 when no range contains it.
     */
    int prefixScore(InetAddress address) {
        if (prefixRanges.isEmpty()) {
            return 0;
        }
        int best = -1;
        for (CidrRange range : prefixRanges) {
            if (range.contains(address) && range.length() + 1 > best) {
                best = range.length() + 1;
            }
        }
        return best;
    }
}
