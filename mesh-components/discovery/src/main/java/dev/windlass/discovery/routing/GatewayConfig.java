package dev.windlass.discovery.routing;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A gateway's configuration, independent of the API it came from (an Istio Gateway today, a Gateway API
 * Gateway later): which gateway pods it configures ({@code selector} on their labels; empty selects every one)
 * and the servers they listen with. Route sets bind to it by {@link #key()}.
 */
public record GatewayConfig(String namespace, String name, Instant created, Map<String, String> selector,
                            List<GatewayServer> servers) {
    public GatewayConfig {
        selector = Map.copyOf(selector);
        servers = List.copyOf(servers);
    }

    /** {@code namespace/name}: how route sets name it in their bindings. */
    public String key() {
        return namespace + "/" + name;
    }

    public boolean selects(Map<String, String> podLabels) {
        return podLabels.entrySet().containsAll(selector.entrySet());
    }
}
