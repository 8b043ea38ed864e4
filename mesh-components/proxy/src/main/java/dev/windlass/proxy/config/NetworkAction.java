package dev.windlass.proxy.config;

import dev.windlass.proxy.config.jwt.JwtAuthnFilter;
import dev.windlass.proxy.config.rbac.RbacRules;

import java.util.List;

/** What a filter chain does with a connection: HTTP through the connection manager, or plain TCP to a cluster. */
public sealed interface NetworkAction {

    /**
     * An HttpConnectionManager: routes come from RDS by name, or inline (then {@code inlineRoutes} is set).
     * {@code accessLogPath} is null when this chain asks for no access log. {@code xffTrustedHops} is Envoy's
     * xff_num_trusted_hops: 0 means the client is not trusted to say which scheme it used (x-forwarded-proto).
     * {@code rbac}: the enforcing HTTP RBAC filters, in their order; every request must pass each of them.
     * {@code jwt}: the JWT filter (RequestAuthentication), run before them; null when there is none.
     * {@code websocket}: HTTP/1.1 WebSocket upgrades are forwarded (upgrade_configs); otherwise Upgrade is dropped.
     * {@code timeouts}: the downstream header, request, stream idle and connection idle timeouts.
     */
    record Http(String routeName, RouteTable inlineRoutes, String accessLogPath, String statPrefix, int xffTrustedHops,
                List<RbacRules> rbac, JwtAuthnFilter jwt, boolean websocket, HttpTimeouts timeouts)
            implements NetworkAction {
        public Http {
            rbac = List.copyOf(rbac);
        }

        public Http(String routeName, RouteTable inlineRoutes, String accessLogPath, String statPrefix) {
            this(routeName, inlineRoutes, accessLogPath, statPrefix, 0, List.of(), null, false, HttpTimeouts.DEFAULT);
        }
    }

    /** tcp_proxy to a cluster, or to one of {@code weighted} per connection (null: always {@code cluster}). */
    record Tcp(String cluster, String statPrefix, WeightedClusters weighted) implements NetworkAction {
        public Tcp(String cluster, String statPrefix) {
            this(cluster, statPrefix, null);
        }

        public String pickCluster() {
            return weighted == null ? cluster : weighted.pick().name();
        }
    }
}
