package dev.windlass.proxy.config;

/** Envoy's QueryParameterMatcher: a string match on one query parameter's (decoded) value, or mere presence. */
public record QueryMatch(String name, StringMatch match) {

    public boolean matches(RouteRequest request) {
        String value = request.queryParameter(name);
        return match == null ? value != null : match.matches(value);
    }
}
