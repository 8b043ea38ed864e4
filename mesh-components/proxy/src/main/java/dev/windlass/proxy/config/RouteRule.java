package dev.windlass.proxy.config;

import java.util.List;

/**
 * One route of a virtual host: its matchers (path, headers, query parameters), its action, and the policies that
 * wrap it: header edits for the request and the response, fault injection and CORS (null when absent).
 */
public record RouteRule(String name, PathMatch path, List<HeaderMatch> headers, List<QueryMatch> query,
                        RouteAction action, HeaderMutation requestHeaders, HeaderMutation responseHeaders,
                        FaultConfig fault, CorsConfig cors) {

    public RouteRule {
        headers = List.copyOf(headers);
        query = List.copyOf(query);
    }

    /** A plain route: matchers and an action, no policies. */
    public RouteRule(String name, PathMatch path, List<HeaderMatch> headers, RouteAction action) {
        this(name, path, headers, List.of(), action, HeaderMutation.NONE, HeaderMutation.NONE, null, null);
    }

    public boolean matches(RouteRequest request) {
        if (!path.matches(request.pathOnly())) {
            return false;
        }
        for (HeaderMatch header : headers) {
            if (!header.matches(request)) {
                return false;
            }
        }
        for (QueryMatch q : query) {
            if (!q.matches(request)) {
                return false;
            }
        }
        return true;
    }
}
