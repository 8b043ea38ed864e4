package dev.windlass.proxy.config;

/** One filter chain of a listener: when it applies, and what it does. */
public record FilterChain(String name, ChainMatch match, NetworkAction action) {
}
