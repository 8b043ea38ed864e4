package dev.windlass.proxy.http;

import dev.windlass.proxy.Log;
import dev.windlass.proxy.ProxyContext;
import dev.windlass.proxy.config.NetworkAction;
import dev.windlass.proxy.config.rbac.RbacInput;
import dev.windlass.proxy.config.rbac.RbacRules;
import dev.windlass.proxy.net.Flow;
import dev.windlass.proxy.telemetry.ProxyStats;
import dev.windlass.proxy.telemetry.ProxyStats.Stat;
import dev.windlass.proxy.tls.MeshPeer;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The HTTP RBAC filters (envoy.filters.http.rbac) of a connection's chain, enforced on each request before it is
 * routed, and what they see of it. One per {@link DownstreamHandler} (a connection, or an HTTP/2 stream): the
 * connection's facts are read once, the request head is set per request, so a decision allocates nothing (but the
 * query-less path, when a url_path rule asks for it on a path with a query).
 */
final class RequestRbac implements RbacInput {
    private final List<RbacRules> filters;
    private final ProxyStats stats;
    private final int destinationPort;
    private final InetAddress destinationIp;
    private final InetAddress remoteIp;
    private final String peerPrincipal;
    private HttpRequest request;
    private String path;
    private RequestJwt jwt;

    private RequestRbac(List<RbacRules> filters, ProxyStats stats, Flow flow, InetAddress remoteIp, String peerPrincipal) {
        this.filters = filters;
        this.stats = stats;
        this.destinationPort = flow.destination().getPort();
        this.destinationIp = flow.destination().getAddress();
        this.remoteIp = remoteIp;
        this.peerPrincipal = peerPrincipal;
    }

    /** Null when the chain's connection manager has no enforcing RBAC filter. */
    static RequestRbac of(ProxyContext ctx, Flow flow, Channel channel) {
        if (!(flow.chain().action() instanceof NetworkAction.Http http) || http.rbac().isEmpty()) {
            return null;
        }
        MeshPeer peer = flow.secure() ? MeshPeer.of(channel, ctx.options().identity()) : null;
        InetAddress remote = channel.remoteAddress() instanceof InetSocketAddress address ? address.getAddress() : null;
        return new RequestRbac(http.rbac(), ctx.stats(), flow, remote, peer == null || peer.id() == null ? null : peer.id().uri());
    }

    /** Whether every filter lets {@code head} through, in their order; counted. {@code jwt}: its verified token, if any. */
    boolean allows(HttpRequest head, RequestJwt jwt) {
        request = head;
        path = null;
        this.jwt = jwt;
        for (int i = 0; i < filters.size(); i++) {
            RbacRules rules = filters.get(i);
            var audit = rules.auditedBy(this);
            if (audit != null) {
                stats.increment(Stat.RBAC_AUDITED);
                Log.info("rbac audit: " + head.method() + " " + head.headers().get(HttpHeaderNames.HOST) + head.uri()
                        + " from " + remoteIp + (peerPrincipal == null ? "" : " (" + peerPrincipal + ")")
                        + " matched AUDIT policy " + audit.name());
            }
            if (!rules.allows(this)) {
                stats.increment(Stat.RBAC_DENIED);
                if (Log.debugEnabled()) {
                    var policy = rules.matchedPolicy(this);
                    Log.debug("rbac: " + head.method() + " " + head.uri() + " from " + remoteIp + " denied ("
                            + rules.action() + " policy " + (policy == null ? "none" : policy.name()) + ")");
                }
                return false;
            }
        }
        stats.increment(Stat.RBAC_ALLOWED);
        return true;
    }

    @Override
    public int destinationPort() {
        return destinationPort;
    }

    @Override
    public InetAddress destinationIp() {
        return destinationIp;
    }

    @Override
    public InetAddress remoteIp() {
        return remoteIp;
    }

    @Override
    public String peerPrincipal() {
        return peerPrincipal;
    }

    @Override
    public boolean hasRequest() {
        return true;
    }

    @Override
    public String header(String name) {
        return switch (name) {
            case ":authority" -> request.headers().get(HttpHeaderNames.HOST);
            case ":path" -> request.uri();
            case ":method" -> request.method().name();
            default -> request.headers().get(name);
        };
    }

    @Override
    public com.google.gson.JsonObject jwtPayload(String key) {
        return jwt == null ? null : jwt.payload(key);
    }

    @Override
    public String path() {
        if (path == null) {
            String uri = request.uri();
            int end = uri.length();
            for (int i = 0; i < uri.length(); i++) {
                char c = uri.charAt(i);
                if (c == '?' || c == '#') {
                    end = i;
                    break;
                }
            }
            path = end == uri.length() ? uri : uri.substring(0, end);
        }
        return path;
    }
}
