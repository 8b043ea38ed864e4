package dev.windlass.proxy.config;

import java.util.List;

/**
 * A virtual host: its domains and its routes, tried in order; {@code attemptCount} sends x-envoy-attempt-count to
 * the upstream (Envoy's include_request_attempt_count, which Istio sets); {@code requireTls} is Envoy's
 * require_tls (Istio's httpsRedirect).
 */
public record VirtualHostConfig(String name, List<String> domains, List<RouteRule> routes, boolean attemptCount,
                                TlsRequirement requireTls) {

    /**
     * Envoy's require_tls: requests whose x-forwarded-proto is not https are answered 301 to https://host/path,
     * all of them (ALL) or those not marked x-envoy-internal (EXTERNAL_ONLY).
     */
    public enum TlsRequirement { NONE, EXTERNAL_ONLY, ALL }

    public VirtualHostConfig {
        domains = List.copyOf(domains);
        routes = List.copyOf(routes);
    }

    public VirtualHostConfig(String name, List<String> domains, List<RouteRule> routes, boolean attemptCount) {
        this(name, domains, routes, attemptCount, TlsRequirement.NONE);
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

    /** Whether a request must be redirected to https first, as Envoy decides before it matches any route. */
    public boolean redirectsToHttps(String forwardedProto, boolean envoyInternal) {
        return switch (requireTls) {
            case NONE -> false;
            case ALL -> !"https".equals(forwardedProto);
            case EXTERNAL_ONLY -> !"https".equals(forwardedProto) && !envoyInternal;
        };
    }
}
