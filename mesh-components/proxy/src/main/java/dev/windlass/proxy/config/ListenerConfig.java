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

    /**
     * Envoy's filter chain selection, in its order: destination port (a chain naming the port beats one naming
     * none), then destination IP (the most specific prefix wins; chains without ranges only when none matches),
     * then the first chain left; else the default chain; else null.
     */
    public FilterChain select(InetAddress destination, int destinationPort) {
        List<FilterChain> candidates = byPort(destinationPort);
        FilterChain best = null;
        int bestScore = -1;
        for (FilterChain chain : candidates) {
            int score = chain.match().prefixScore(destination);
            if (score > bestScore) {
                best = chain;
                bestScore = score;
            }
        }
        return best != null ? best : defaultChain;
    }

    private List<FilterChain> byPort(int destinationPort) {
        List<FilterChain> exact = new ArrayList<>();
        List<FilterChain> any = new ArrayList<>();
        for (FilterChain chain : chains) {
            ChainMatch match = chain.match();
            if (match.requiresTls()) {
                continue;
            }
            if (match.destinationPort() == null) {
                any.add(chain);
            } else if (match.destinationPort() == destinationPort) {
                exact.add(chain);
            }
        }
        return exact.isEmpty() ? any : exact;
    }
}
