package dev.windlass.proxy.config;

/**
 * Envoy's RedirectAction: what replaces each part of the request's URL (null or 0 keeps the request's own), and the
 * status. {@code prefixRewrite} replaces the matched prefix, like a route's.
 */
public record RedirectConfig(String scheme, String host, int port, String path, String prefixRewrite,
                             boolean stripQuery, int status) {

    /** The Location for a request to {@code authority} + {@code uri} over {@code requestScheme}. */
    public String location(String requestScheme, String authority, String uri, PathMatch matched) {
        String newScheme = scheme != null ? scheme : requestScheme;
        String hostPart = host != null ? host : authority;
        int colon = hostPart.lastIndexOf(':');
        boolean hasPort = colon > 0 && hostPart.indexOf(']') < colon;
        String hostOnly = hasPort ? hostPart.substring(0, colon) : hostPart;
        String portPart = hasPort ? hostPart.substring(colon) : "";
        if (port > 0) {
            portPart = ":" + port;
        } else if (scheme != null && !scheme.equals(requestScheme) && hasPort) {
            portPart = ""; // a scheme change drops the old scheme's port, as Envoy does
        }
        int q = uri.indexOf('?');
        String query = q < 0 || stripQuery ? "" : uri.substring(q);
        String newPath = q < 0 ? uri : uri.substring(0, q);
        if (path != null) {
            newPath = path;
            if (path.contains("?")) {
                query = "";
            }
        } else if (prefixRewrite != null) {
            newPath = new PathRewrite(prefixRewrite, null, null).apply(newPath, matched);
        }
        return newScheme + "://" + hostOnly + portPart + newPath + query;
    }
}
