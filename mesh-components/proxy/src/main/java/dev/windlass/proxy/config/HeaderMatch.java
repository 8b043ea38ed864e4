package dev.windlass.proxy.config;

/** Envoy's HeaderMatcher: a string match on one header, or presence, optionally inverted. */
public record HeaderMatch(String name, StringMatch match, boolean presentOnly, boolean present, boolean invert) {

    public boolean matches(RouteRequest request) {
        return matches(request.header(name));
    }

    /** Against the value of header {@code name}, null when the request has none. */
    public boolean matches(String value) {
        boolean result = presentOnly ? (value != null) == present : match.matches(value);
        return result != invert;
    }
}
