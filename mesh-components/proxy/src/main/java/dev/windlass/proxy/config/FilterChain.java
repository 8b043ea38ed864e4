package dev.windlass.proxy.config;

import dev.windlass.proxy.tls.ServerTls;

/**
 * One filter chain of a listener: when it applies, what it does, and, when it terminates TLS, its compiled
 * termination ({@code tls}, else null).
 */
public record FilterChain(String name, ChainMatch match, NetworkAction action, ServerTls tls) {
    public FilterChain(String name, ChainMatch match, NetworkAction action) {
        this(name, match, action, null);
    }
}
