package dev.windlass.proxy.config;

import dev.windlass.proxy.config.rbac.RbacRules;
import dev.windlass.proxy.tls.ServerTls;

import java.util.List;

/**
 * One filter chain of a listener: when it applies, what it does, when it terminates TLS its compiled termination
 * ({@code tls}, else null), and the network RBAC filters placed before its terminal filter, in their order (each
 * must allow a connection before anything is done with it). {@code source} is the chain as xDS sent it (null when
 * built by hand): a connection whose chain no longer exists in the listener is drained ({@link ListenerConfig#serves}).
 */
public record FilterChain(String name, ChainMatch match, NetworkAction action, ServerTls tls,
                          List<RbacRules> networkRbac, io.envoyproxy.envoy.config.listener.v3.FilterChain source) {
    public FilterChain {
        networkRbac = List.copyOf(networkRbac);
    }

    public FilterChain(String name, ChainMatch match, NetworkAction action, ServerTls tls, List<RbacRules> networkRbac) {
        this(name, match, action, tls, networkRbac, null);
    }

    public FilterChain(String name, ChainMatch match, NetworkAction action) {
        this(name, match, action, null, List.of(), null);
    }
}
