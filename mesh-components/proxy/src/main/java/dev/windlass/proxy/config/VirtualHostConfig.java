package dev.windlass.proxy.config;

import java.util.List;

/**
 * A virtual host: its domains and its routes, tried in order; {@code attemptCount} sends x-envoy-attempt-count to
 * the upstream (Envoy's include_request_attempt_count, which Istio sets).
 */
public record VirtualHostConfig(String name, List<String> domains, List<RouteRule> routes, boolean attemptCount) {

    public VirtualHostConfig {
        domains = List.copyOf(domains);
        routes = List.copyOf(routes);
    }

    public VirtualHostConfig(String name, List<String> domains, List<RouteRule> routes) {
        this(name, domains, routes, false);
    }

    /** The first route that matches, or null. */
    public RouteRule route(RouteRequest request) {
        for (RouteRule rule : routes) {
            if (rule.matches(request)) {
                return rule;
            }
        }
        return null;
    }
}
