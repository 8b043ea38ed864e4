package dev.windlass.traffic.istio;

import java.util.List;
import java.util.Map;

/**
 * One {@code http} rule of a VirtualService: conditions ({@code match}, OR'ed) and exactly one action
 * ({@code route}, {@code redirect}, {@code directResponse} or {@code delegate}), with the route's policies.
 */
public record HttpRoute(String name, List<MatchRequest> match, List<RouteDestination> route, Redirect redirect,
                        DirectResponse directResponse, Delegate delegate, Rewrite rewrite, String timeout,
                        Retry retries, FaultInjection fault, Destination mirror, Percent mirrorPercentage,
                        Integer mirrorPercent, List<MirrorPolicy> mirrors, CorsPolicy corsPolicy, Headers headers) {

    public HttpRoute {
        match = Nulls.list(match);
        route = Nulls.list(route);
        mirrors = Nulls.list(mirrors);
    }

    /** The conditions of one match block, AND'ed. */
    public record MatchRequest(String name, StringMatch uri, StringMatch scheme, StringMatch method,
                               StringMatch authority, Map<String, StringMatch> headers, Integer port,
                               Map<String, String> sourceLabels, List<String> gateways,
                               Map<String, StringMatch> queryParams, Boolean ignoreUriCase,
                               Map<String, StringMatch> withoutHeaders, String sourceNamespace) {
        public MatchRequest {
            headers = Nulls.map(headers);
            sourceLabels = Nulls.map(sourceLabels);
            gateways = Nulls.list(gateways);
            queryParams = Nulls.map(queryParams);
            withoutHeaders = Nulls.map(withoutHeaders);
        }

        public boolean caseInsensitiveUri() {
            return Boolean.TRUE.equals(ignoreUriCase);
        }
    }

    /** A weighted destination, with its own header rules. */
    public record RouteDestination(Destination destination, Integer weight, Headers headers) {
        public int weightOrZero() {
            return weight == null ? 0 : weight;
        }
    }

    public record Redirect(String uri, String authority, Integer port, String scheme, Integer redirectCode) {
    }

    public record DirectResponse(Integer status, Body body) {
        /** Istio's HTTPBody: a string (or base64 bytes). */
        public record Body(String string, String bytes) {
        }
    }

    public record Delegate(String name, String namespace) {
    }

    public record Rewrite(String uri, String authority, RegexRewrite uriRegexRewrite) {
        public record RegexRewrite(String match, String rewrite) {
        }
    }

    public record Retry(Integer attempts, String perTryTimeout, String retryOn, Boolean retryRemoteLocalities) {
    }

    public record FaultInjection(Delay delay, Abort abort) {
        /** {@code percent} is the deprecated integer form of {@code percentage}; Istio still accepts it. */
        public record Delay(String fixedDelay, Percent percentage, Integer percent) {
        }

        public record Abort(Integer httpStatus, String grpcStatus, Percent percentage) {
        }
    }

    public record MirrorPolicy(Destination destination, Percent percentage) {
    }

    /**
     * {@code allowOrigin} is the deprecated exact-string form of {@code allowOrigins}; {@code unmatchedPreflights}
     * is FORWARD (the default) or IGNORE.
     */
    public record CorsPolicy(List<StringMatch> allowOrigins, List<String> allowOrigin, List<String> allowMethods,
                             List<String> allowHeaders, List<String> exposeHeaders, String maxAge,
                             Boolean allowCredentials, String unmatchedPreflights) {
        public CorsPolicy {
            allowOrigins = Nulls.list(allowOrigins);
            allowOrigin = Nulls.list(allowOrigin);
            allowMethods = Nulls.list(allowMethods);
            allowHeaders = Nulls.list(allowHeaders);
            exposeHeaders = Nulls.list(exposeHeaders);
        }
    }
}
