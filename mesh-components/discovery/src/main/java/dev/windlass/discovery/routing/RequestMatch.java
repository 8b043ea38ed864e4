package dev.windlass.discovery.routing;

import java.util.List;

/**
 * When an HTTP rule applies: every condition holds (AND). {@code path} null means any path. Headers include
 * the pseudo-headers {@code :method}, {@code :scheme} and {@code :authority}. {@code port} 0 means any port; the
 * source narrows which proxies see the rule at all.
 */
public record RequestMatch(String name, TextMatch path, List<HeaderCondition> headers,
                           List<QueryCondition> queryParams, int port, SourceSelector source) {

    public static final RequestMatch ANY = new RequestMatch("", null, List.of(), List.of(), 0, SourceSelector.ANY);

    public RequestMatch {
        headers = List.copyOf(headers);
        queryParams = List.copyOf(queryParams);
    }

    /** One header condition; {@code invert} for Istio's {@code withoutHeaders}. */
    public record HeaderCondition(String name, TextMatch match, boolean invert) {
    }

    public record QueryCondition(String name, TextMatch match) {
    }

    /** Whether a proxy listening on {@code listenerPort} with this workload sees the condition at all. */
    public boolean appliesTo(int listenerPort, Workload client) {
        return (port == 0 || port == listenerPort) && source.selects(client);
    }
}
