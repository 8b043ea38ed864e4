package dev.windlass.proxy.config;

import java.util.List;

/** One route of a virtual host: the path and header matchers, and the action. */
public record RouteRule(String name, PathMatch path, List<HeaderMatch> headers, RouteAction action) {

    public RouteRule {
        headers = List.copyOf(headers);
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
        return true;
    }
}
