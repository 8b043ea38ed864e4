package dev.windlass.proxy.net;

import dev.windlass.proxy.config.FilterChain;

import java.net.InetSocketAddress;

/**
 * One accepted connection, dispatched: its direction, listener, chain and original destination, and whether the
 * proxy terminated TLS on it (its requests' scheme is then https).
 */
public record Flow(Direction direction, String listener, FilterChain chain, InetSocketAddress destination,
                   boolean secure) {
}
