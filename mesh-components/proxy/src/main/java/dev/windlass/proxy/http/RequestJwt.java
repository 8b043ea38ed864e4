package dev.windlass.proxy.http;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.windlass.proxy.Log;
import dev.windlass.proxy.config.RouteRequest;
import dev.windlass.proxy.config.jwt.JwtAuthnFilter;
import dev.windlass.proxy.config.jwt.JwtProviderRule;
import dev.windlass.proxy.config.jwt.JwtRequirement;
import dev.windlass.proxy.config.jwt.JwtStatus;
import dev.windlass.proxy.config.jwt.JwtToken;
import dev.windlass.proxy.telemetry.ProxyStats;
import dev.windlass.proxy.telemetry.ProxyStats.Stat;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;

/**
 * The JWT filter (envoy.filters.http.jwt_authn) of a connection's chain, run on each request before RBAC. Each
 * provider reads its token from its locations and verifies it; the requirement decides. A request passes with the
 * payload of the token that verified (its request principal for RBAC) or with none; a refused one is answered with
 * the failure's text. Once verified, the token header is removed unless the provider forwards it, and the payload
 * and claim headers are set (after removing what the client sent under those names). One per
 * {@link DownstreamHandler}: the per-provider results live in arrays made once.
 */
final class RequestJwt implements JwtRequirement.Results {
    private final JwtAuthnFilter filter;
    private final ProxyStats stats;
    private final JwtStatus[] results;
    private final JwtToken[] tokens;
    private final String[] tokenHeaders;
    /** Where a provider hands back the token it verified. */
    private final JwtToken[] verified = new JwtToken[1];
    private JwtStatus failure;
    private JsonObject payload;

    private RequestJwt(JwtAuthnFilter filter, ProxyStats stats) {
        this.filter = filter;
        this.stats = stats;
        int n = filter.providers().size();
        this.results = new JwtStatus[n];
        this.tokens = new JwtToken[n];
        this.tokenHeaders = new String[n];
    }

    /** Null when the chain has no JWT filter. */
    static RequestJwt of(JwtAuthnFilter filter, ProxyStats stats) {
        return filter == null ? null : new RequestJwt(filter, stats);
    }

    /** Whether {@code request} may go on; its headers are updated for the app when it does. */
    boolean authenticate(HttpRequest request) {
        payload = null;
        failure = null;
        HttpHeaders headers = request.headers();
        sanitize(headers);
        if (filter.bypassCorsPreflight() && isCorsPreflight(request)) {
            stats.increment(Stat.JWT_AUTHN_ALLOWED);
            return true;
        }
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < results.length; i++) {
            results[i] = verify(i, request, now);
        }
        JwtStatus status = filter.requirement().evaluate(this);
        if (status != JwtStatus.OK) {
            failure = status;
            stats.increment(Stat.JWT_AUTHN_DENIED);
            if (Log.debugEnabled()) {
                Log.debug("jwt: " + request.method() + " " + request.uri() + " refused: " + status.text());
            }
            return false;
        }
        for (int i = 0; i < results.length; i++) {
            if (results[i] == JwtStatus.OK) {
                forward(filter.providers().get(i), i, headers);
            }
        }
        stats.increment(Stat.JWT_AUTHN_ALLOWED);
        return true;
    }

    @Override
    public JwtStatus of(int provider) {
        return results[provider];
    }

    /** Why the last request was refused. */
    JwtStatus failure() {
        return failure;
    }

    /** The payload of the last request's verified token, under the filter's metadata key; null without one. */
    JsonObject payload(String key) {
        return key != null && key.equals(filter.payloadKey()) ? payload : null;
    }

    /** The first token in the provider's locations that verifies, else the status of the first one found. */
    private JwtStatus verify(int i, HttpRequest request, long now) {
        JwtProviderRule provider = filter.providers().get(i);
        tokens[i] = null;
        tokenHeaders[i] = null;
        JwtStatus first = JwtStatus.MISSING;
        for (int h = 0; h < provider.headers().size(); h++) {
            JwtProviderRule.HeaderLocation location = provider.headers().get(h);
            String value = request.headers().get(location.name());
            if (value != null && value.startsWith(location.prefix())) {
                JwtStatus status = check(i, provider, value.substring(location.prefix().length()).trim(), now);
                if (status == JwtStatus.OK) {
                    tokenHeaders[i] = location.name();
                    return status;
                }
                first = first == JwtStatus.MISSING ? status : first;
            }
        }
        for (int p = 0; p < provider.params().size(); p++) {
            String value = RouteRequest.queryParameter(request.uri(), provider.params().get(p));
            if (value != null) {
                JwtStatus status = check(i, provider, value, now);
                if (status == JwtStatus.OK) {
                    return status;
                }
                first = first == JwtStatus.MISSING ? status : first;
            }
        }
        return first;
    }

    private JwtStatus check(int i, JwtProviderRule provider, String text, long now) {
        JwtStatus status = provider.verify(text, now, verified);
        if (status == JwtStatus.OK) {
            tokens[i] = verified[0];
        }
        return status;
    }

    /** What the app receives from a verified token, as Envoy's authenticator writes it. */
    private void forward(JwtProviderRule provider, int i, HttpHeaders headers) {
        JwtToken token = tokens[i];
        if (payload == null) {
            payload = token.payload();
        }
        if (!provider.forward() && tokenHeaders[i] != null) {
            headers.remove(tokenHeaders[i]);
        }
        if (provider.payloadHeader() != null) {
            headers.set(provider.payloadHeader(), token.payloadBase64());
        }
        for (int c = 0; c < provider.claimHeaders().size(); c++) {
            JwtProviderRule.ClaimHeader claim = provider.claimHeaders().get(c);
            JsonElement value = token.payload().get(claim.claim());
            if (value != null && value.isJsonPrimitive()) {
                headers.set(claim.header(), value.getAsString());
            }
        }
    }

    /** The payload and claim headers are the filter's to write: what the client sent under those names goes. */
    private void sanitize(HttpHeaders headers) {
        for (int i = 0; i < filter.providers().size(); i++) {
            JwtProviderRule provider = filter.providers().get(i);
            if (provider.payloadHeader() != null) {
                headers.remove(provider.payloadHeader());
            }
            for (int c = 0; c < provider.claimHeaders().size(); c++) {
                headers.remove(provider.claimHeaders().get(c).header());
            }
        }
    }

    private static boolean isCorsPreflight(HttpRequest request) {
        return request.method().equals(HttpMethod.OPTIONS) && request.headers().contains(HttpHeaderNames.ORIGIN)
                && request.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
    }
}
