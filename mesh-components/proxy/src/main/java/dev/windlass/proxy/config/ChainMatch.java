package dev.windlass.proxy.config;

import java.net.InetAddress;
import java.util.List;

/**
 * The parts of Envoy's filter_chain_match the proxy honours: destination port, destination prefix ranges, the
 * TLS server names (SNI, exact or {@code *.suffix}), the transport protocol ({@code tls} or {@code raw_buffer},
 * read from the ClientHello without terminating TLS, as Envoy's tls_inspector does) and the ClientHello's ALPN
 * protocols (how a sidecar tells mesh mTLS from its app's own TLS).
 */
public record ChainMatch(Integer destinationPort, List<CidrRange> prefixRanges, boolean requiresTls,
                         List<String> serverNames, boolean requiresPlain, List<String> applicationProtocols) {
    public static final ChainMatch ANY = new ChainMatch(null, List.of(), false, List.of());

    public ChainMatch {
        prefixRanges = List.copyOf(prefixRanges);
        serverNames = serverNames.stream().map(n -> n.toLowerCase(java.util.Locale.ROOT)).toList();
        applicationProtocols = List.copyOf(applicationProtocols);
    }

    public ChainMatch(Integer destinationPort, List<CidrRange> prefixRanges, boolean requiresTls, List<String> serverNames) {
        this(destinationPort, prefixRanges, requiresTls, serverNames, false, List.of());
    }

    public ChainMatch(Integer destinationPort, List<CidrRange> prefixRanges, boolean requiresTls) {
        this(destinationPort, prefixRanges, requiresTls, List.of());
    }

    /** Whether the chain can only be chosen after looking at the ClientHello. */
    boolean needsClientHello() {
        return requiresTls || requiresPlain || !serverNames.isEmpty() || !applicationProtocols.isEmpty();
    }

    /** 1 when the chain names the connection's transport, 0 when it names none, -1 when it names the other. */
    int transportScore(boolean tls) {
        if (requiresTls || requiresPlain) {
            return requiresTls == tls ? 1 : -1;
        }
        return 0;
    }

    /** 1 when the chain names one of the offered ALPN protocols, 0 when it names none, -1 when none it names is offered. */
    int alpnScore(List<String> offered) {
        if (applicationProtocols.isEmpty()) {
            return 0;
        }
        for (int i = 0; i < offered.size(); i++) {
            if (applicationProtocols.contains(offered.get(i))) {
                return 1;
            }
        }
        return -1;
    }

    /**
     * How well the server names match {@code sni}: 2 for an exact name, 1 plus the suffix length for a wildcard
     * (longer is more specific), 1 when the chain names none, -1 when it names others.
     */
    int serverNameScore(String sni) {
        if (serverNames.isEmpty()) {
            return 1;
        }
        if (sni == null) {
            return -1;
        }
        int best = -1;
        for (String name : serverNames) {
            if (name.equals(sni)) {
                return Integer.MAX_VALUE;
            }
            if (name.startsWith("*.") && sni.endsWith(name.substring(1)) && sni.length() > name.length() - 1) {
                best = Math.max(best, 1 + name.length());
            }
        }
        return best;
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
