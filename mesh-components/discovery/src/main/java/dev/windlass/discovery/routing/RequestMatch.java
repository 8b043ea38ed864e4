package dev.windlass.discovery.routing;

import java.util.List;

/**
 * When an HTTP rule applies: every condition holds (AND). {@code path} null means any path. Headers include
 * the pseudo-headers {@code :method}, {@code :scheme} and {@code :authority}. {@code port} 0 means any port; the
 * source and {@code gateways} (empty: every binding of the route set) narrow which proxies see the rule at all.
 */
public record RequestMatch(String name, TextMatch path, List<HeaderCondition> headers,
                           List<QueryCondition> queryParams, int port, SourceSelector source, List<String> gateways) {

    public static final RequestMatch ANY = new RequestMatch("", null, List.of(), List.of(), 0, SourceSelector.ANY, List.of());

    public RequestMatch {
        headers = List.copyOf(headers);
        queryParams = List.copyOf(queryParams);
        gateways = List.copyOf(gateways);
    }

    /** One header condition; {@code invert} for Istio's {@code withoutHeaders}. */
    public record HeaderCondition(String name, TextMatch match, boolean invert) {
    }

    public record QueryCondition(String name, TextMatch match) {
    }

    /** Whether a proxy of {@code binding} listening on {@code listenerPort} with this workload sees the condition. */
    public boolean appliesTo(int listenerPort, Workload client, String binding) {
        return (port == 0 || port == listenerPort) && source.selects(client) && (gateways.isEmpty() || gateways.contains(binding));
    }
}
