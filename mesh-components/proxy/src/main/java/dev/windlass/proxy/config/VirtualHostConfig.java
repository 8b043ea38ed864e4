package dev.windlass.proxy.config;

import java.util.List;

/** A virtual host: its domains and its routes, tried in order. */
public record VirtualHostConfig(String name, List<String> domains, List<RouteRule> routes) {

    public VirtualHostConfig {
        domains = List.copyOf(domains);
        routes = List.copyOf(routes);
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
