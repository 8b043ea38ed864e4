package dev.windlass.proxy.config;

import dev.windlass.proxy.tls.ServerTls;

/**
 * One filter chain of a listener: when it applies, what it does, and, when it terminates TLS, its compiled
 * termination ({@code tls}, else null). {@code source} is the chain as xDS sent it (null when built by hand): a
 * connection whose chain no longer exists in the listener is drained ({@link ListenerConfig#serves}).
 */
public record FilterChain(String name, ChainMatch match, NetworkAction action, ServerTls tls,
                          io.envoyproxy.envoy.config.listener.v3.FilterChain source) {
    public FilterChain(String name, ChainMatch match, NetworkAction action, ServerTls tls) {
        this(name, match, action, tls, null);
    }

    public FilterChain(String name, ChainMatch match, NetworkAction action) {
        this(name, match, action, null, null);
    }
}
