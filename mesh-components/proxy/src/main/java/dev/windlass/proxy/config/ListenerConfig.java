package dev.windlass.proxy.config;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A listener, translated: its address, whether the proxy binds its port itself (gateways do; a sidecar's per-port
 * listeners only receive connections dispatched from the capture ports), its chains and its default chain.
 */
public record ListenerConfig(String name, String address, int port, boolean bindToPort, List<FilterChain> chains,
                             FilterChain defaultChain) {

    public ListenerConfig {
        chains = List.copyOf(chains);
    }

    /** The chain for a connection that is not TLS (or whose ClientHello is not looked at). */
    public FilterChain select(InetAddress destination, int destinationPort) {
        return select(destination, destinationPort, false, null, List.of());
    }

    /**
     * Envoy's filter chain selection, in its order: destination port (a chain naming the port beats one naming
     * none), then destination IP (the most specific prefix wins; chains without ranges only when none matches),
     * then server name (exact, then the longest wildcard, then chains naming none), then transport protocol
     * ({@code tls} only for TLS connections, {@code raw_buffer} only for others), then the ALPN protocols the
     * ClientHello offers; the first chain left, else the default chain, else null.
     */
    public FilterChain select(InetAddress destination, int destinationPort, boolean tls, String serverName,
                              List<String> alpn) {
        String sni = serverName == null ? null : serverName.toLowerCase(java.util.Locale.ROOT);
        FilterChain best = null;
        long bestScore = -1;
        for (FilterChain chain : byPort(destinationPort)) {
            ChainMatch match = chain.match();
            int prefix = match.prefixScore(destination);
            int name = match.serverNameScore(sni);
            int transport = match.transportScore(tls);
            int protocols = match.alpnScore(alpn);
            if (prefix < 0 || name < 0 || transport < 0 || protocols < 0) {
                continue;
            }
            long score = ((long) prefix << 32) | ((long) Math.min(name, Integer.MAX_VALUE - 1) << 2)
                    | ((long) transport << 1) | protocols;
            if (score > bestScore) {
                best = chain;
                bestScore = score;
            }
        }
        return best != null ? best : defaultChain;
    }

    /**
     * Whether {@code chain} (as xDS sent it) is still one of this listener's chains: a connection accepted on a
     * chain that an update changed or removed is drained, as Envoy drains it, so that a new policy (STRICT mTLS, an
     * authorization rule) reaches connections kept alive from before it. A chain without a source always is.
     */
    public boolean serves(io.envoyproxy.envoy.config.listener.v3.FilterChain chain) {
        if (chain == null) {
            return true;
        }
        if (defaultChain != null && chain.equals(defaultChain.source())) {
            return true;
        }
        for (FilterChain c : chains) {
            if (chain.equals(c.source())) {
                return true;
            }
        }
        return false;
    }

    /** Whether a connection to this destination must show its ClientHello before a chain can be chosen. */
    public boolean inspectsClientHello(InetAddress destination, int destinationPort) {
        for (FilterChain chain : byPort(destinationPort)) {
            if (chain.match().needsClientHello() && chain.match().prefixScore(destination) >= 0) {
                return true;
            }
        }
        return false;
    }

    private List<FilterChain> byPort(int destinationPort) {
        List<FilterChain> exact = new ArrayList<>();
        List<FilterChain> any = new ArrayList<>();
        for (FilterChain chain : chains) {
            ChainMatch match = chain.match();
            if (match.destinationPort() == null) {
                any.add(chain);
            } else if (match.destinationPort() == destinationPort) {
                exact.add(chain);
            }
        }
        return exact.isEmpty() ? any : exact;
    }
}
