package dev.windlass.proxy.net;

import dev.windlass.proxy.Log;
import dev.windlass.proxy.ProxyContext;
import dev.windlass.proxy.config.rbac.RbacInput;
import dev.windlass.proxy.config.rbac.RbacRules;
import dev.windlass.proxy.telemetry.ProxyStats.Stat;
import dev.windlass.proxy.tls.MeshPeer;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A chain's network RBAC filters (envoy.filters.network.rbac), decided once per connection before its terminal
 * filter starts, so a denied connection never reaches an upstream nor sends a request. When the chain terminates
 * TLS the decision waits for the handshake: the principal is the client certificate's SPIFFE id.
 */
final class ConnectionRbac {
    private ConnectionRbac() {
    }

    /** Runs {@code start} if every filter allows the connection, else closes it. */
    static void enforce(ProxyContext ctx, Channel channel, Flow flow, Runnable start) {
        if (flow.chain().tls() == null) {
            decide(ctx, channel, flow, start);
            return;
        }
        // Notified on the event loop as the handshake ends, before any decrypted byte is passed on.
        channel.pipeline().get(SslHandler.class).handshakeFuture().addListener(done -> {
            if (done.isSuccess() && channel.isActive()) {
                decide(ctx, channel, flow, start);
            }
        });
    }

    private static void decide(ProxyContext ctx, Channel channel, Flow flow, Runnable start) {
        Input input = Input.of(ctx, channel, flow);
        List<RbacRules> filters = flow.chain().networkRbac();
        for (int i = 0; i < filters.size(); i++) {
            RbacRules rules = filters.get(i);
            var audit = rules.auditedBy(input);
            if (audit != null) {
                ctx.stats().increment(Stat.RBAC_CX_AUDITED);
                Log.info("rbac audit: connection from " + channel.remoteAddress() + " to " + flow.destination()
                        + (input.peerPrincipal() == null ? "" : " (" + input.peerPrincipal() + ")")
                        + " matched AUDIT policy " + audit.name());
            }
            if (!rules.allows(input)) {
                ctx.stats().increment(Stat.RBAC_CX_DENIED);
                if (Log.debugEnabled()) {
                    Log.debug("rbac: connection from " + channel.remoteAddress() + " to " + flow.destination()
                            + " denied (" + rules.action() + " policy " + policyName(rules, input) + "); closing");
                }
                channel.close();
                return;
            }
        }
        ctx.stats().increment(Stat.RBAC_CX_ALLOWED);
        start.run();
    }

    private static String policyName(RbacRules rules, RbacInput input) {
        var policy = rules.matchedPolicy(input);
        return policy == null ? "none" : policy.name();
    }

    /** A connection as RBAC sees it: no request, so header and path matchers never match. */
    private record Input(int destinationPort, InetAddress destinationIp, InetAddress remoteIp, String peerPrincipal)
            implements RbacInput {

        static Input of(ProxyContext ctx, Channel channel, Flow flow) {
            MeshPeer peer = flow.secure() ? MeshPeer.of(channel, ctx.options().identity()) : null;
            InetAddress remote = channel.remoteAddress() instanceof InetSocketAddress address ? address.getAddress() : null;
            return new Input(flow.destination().getPort(), flow.destination().getAddress(), remote,
                    peer == null || peer.id() == null ? null : peer.id().uri());
        }

        @Override
        public boolean hasRequest() {
            return false;
        }

        @Override
        public String header(String name) {
            return null;
        }

        @Override
        public String path() {
            return null;
        }
    }
}
