package dev.windlass.proxy.config;

import java.util.List;

/**
 * Envoy's CORS policy of a route: allowed origins, and the header values the proxy answers with, pre-joined.
 * {@code forwardNotMatchingPreflights}: a preflight from an origin that is not allowed goes to the app.
 */
public record CorsConfig(List<StringMatch> allowOrigins, String allowMethods, String allowHeaders,
                         String exposeHeaders, String maxAge, boolean allowCredentials,
                         boolean forwardNotMatchingPreflights) {

    public CorsConfig {
        allowOrigins = List.copyOf(allowOrigins);
    }

    public boolean allows(String origin) {
        for (StringMatch match : allowOrigins) {
            if (match.matches(origin)) {
                return true;
            }
        }
        return false;
    }
}
