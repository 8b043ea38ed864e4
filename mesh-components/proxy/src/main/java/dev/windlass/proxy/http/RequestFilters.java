package dev.windlass.proxy.http;

import dev.windlass.proxy.ProxyContext;
import dev.windlass.proxy.config.NetworkAction;
import dev.windlass.proxy.net.Flow;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/**
 * The HTTP filters of a connection manager that run on each request before its router, in Envoy's order: the JWT
 * filter (envoy.filters.http.jwt_authn), then the RBAC filters, which see its verified token. One per
 * {@link DownstreamHandler}; a request they pass costs no allocation.
 */
final class RequestFilters {
    /** The chain's JWT filter, or null when it has none. */
    private final RequestJwt jwt;
    /** The chain's HTTP RBAC filters, or null when it has none. */
    private final RequestRbac rbac;

    private RequestFilters(RequestJwt jwt, RequestRbac rbac) {
        this.jwt = jwt;
        this.rbac = rbac;
    }

    /** Null when the chain has neither filter. */
    static RequestFilters of(ProxyContext ctx, Flow flow, Channel channel) {
        RequestJwt jwt = flow.chain().action() instanceof NetworkAction.Http http ? RequestJwt.of(http.jwt(), ctx.stats()) : null;
        RequestRbac rbac = RequestRbac.of(ctx, flow, channel);
        return jwt == null && rbac == null ? null : new RequestFilters(jwt, rbac);
    }

    /**
     * Null when {@code request} may go on to its route (its headers updated for the app), else the proxy's answer:
     * 401 for a refused token (403 for its audience), 403 for a request RBAC denies.
     */
    LocalReply refusal(HttpRequest request) {
        if (jwt != null && !jwt.authenticate(request)) {
            return LocalReply.jwtRefused(jwt.failure().httpStatus(), jwt.failure().text(), realm(request));
        }
        if (rbac != null && !rbac.allows(request, jwt)) {
            return LocalReply.RBAC_DENIED;
        }
        return null;
    }

    /** Envoy's original URI for the Bearer challenge: scheme, host and path, without the query. */
    private static String realm(HttpRequest request) {
        String scheme = request.headers().get("x-forwarded-proto", "http");
        String uri = request.uri();
        int query = uri.indexOf('?');
        return scheme + "://" + request.headers().get(HttpHeaderNames.HOST, "") + (query < 0 ? uri : uri.substring(0, query));
    }
}
