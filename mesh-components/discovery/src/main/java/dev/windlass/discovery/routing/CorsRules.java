package dev.windlass.discovery.routing;

import java.time.Duration;
import java.util.List;

/**
 * A CORS policy: which origins may call, with which methods and headers, what the browser may read, how long a
 * preflight answer may be cached, and whether credentials are allowed. {@code forwardUnmatchedPreflights}: a
 * preflight from an origin that is not allowed goes on to the app (Istio's FORWARD default) rather than being
 * answered by the proxy.
 */
public record CorsRules(List<TextMatch> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
                        List<String> exposeHeaders, Duration maxAge, Boolean allowCredentials,
                        boolean forwardUnmatchedPreflights) {
    public CorsRules {
        allowOrigins = List.copyOf(allowOrigins);
        allowMethods = List.copyOf(allowMethods);
        allowHeaders = List.copyOf(allowHeaders);
        exposeHeaders = List.copyOf(exposeHeaders);
    }
}
