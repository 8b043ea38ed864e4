package dev.windlass.discovery.xds;

import com.google.protobuf.BoolValue;
import dev.windlass.discovery.routing.RequestMatch;
import dev.windlass.discovery.routing.TextMatch;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

/** A request match of the routing model as Envoy's RouteMatch: path, headers (pseudo-headers too), query. */
final class RouteMatches {
    private RouteMatches() {
    }

    static RouteMatch of(RequestMatch match) {
        RouteMatch.Builder route = RouteMatch.newBuilder();
        TextMatch path = match.path();
        if (path == null || path.kind() == TextMatch.Kind.PRESENT) {
            route.setPrefix("/");
        } else {
            switch (path.kind()) {
                case EXACT -> route.setPath(path.value());
                case PREFIX -> route.setPrefix(path.value());
                default -> route.setSafeRegex(regex(path.value()));
            }
            if (path.ignoreCase()) {
                route.setCaseSensitive(BoolValue.of(false));
            }
        }
        for (RequestMatch.HeaderCondition header : match.headers()) {
            route.addHeaders(header(header));
        }
        for (RequestMatch.QueryCondition query : match.queryParams()) {
            QueryParameterMatcher.Builder q = QueryParameterMatcher.newBuilder().setName(query.name());
            if (query.match().kind() == TextMatch.Kind.PRESENT) {
                q.setPresentMatch(true);
            } else {
                q.setStringMatch(string(query.match()));
            }
            route.addQueryParameters(q);
        }
        return route.build();
    }

    /** Any path: the match of a rule without conditions. */
    static RouteMatch any() {
        return RouteMatch.newBuilder().setPrefix("/").build();
    }

    private static HeaderMatcher header(RequestMatch.HeaderCondition header) {
        HeaderMatcher.Builder matcher = HeaderMatcher.newBuilder().setName(header.name()).setInvertMatch(header.invert());
        if (header.match().kind() == TextMatch.Kind.PRESENT) {
            matcher.setPresentMatch(true);
        } else {
            matcher.setStringMatch(string(header.match()));
        }
        return matcher.build();
    }

    static StringMatcher string(TextMatch match) {
        StringMatcher.Builder string = StringMatcher.newBuilder();
        switch (match.kind()) {
            case EXACT -> string.setExact(match.value());
            case PREFIX -> string.setPrefix(match.value());
            case REGEX -> string.setSafeRegex(regex(match.value()));
            default -> throw new IllegalArgumentException("no string for " + match.kind());
        }
        return string.setIgnoreCase(match.ignoreCase() && match.kind() != TextMatch.Kind.REGEX).build();
    }

    /** Envoy's safe_regex: RE2, which is the only engine there is, so the engine field stays unset. */
    static RegexMatcher regex(String expression) {
        return RegexMatcher.newBuilder().setRegex(expression).build();
    }
}
