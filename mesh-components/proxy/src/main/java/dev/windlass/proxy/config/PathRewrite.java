package dev.windlass.proxy.config;

import com.google.re2j.Pattern;

/**
 * A route's path rewrite: the matched prefix replaced ({@code prefix_rewrite}; for an exact or regex match the
 * whole path), or every match of a regex replaced ({@code regex_rewrite}, Envoy's \N group references). The
 * query string is kept.
 */
public record PathRewrite(String prefix, Pattern regex, String substitution) {

    public String apply(String uri, PathMatch matched) {
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        String query = q < 0 ? "" : uri.substring(q);
        String rewritten;
        if (regex != null) {
            rewritten = regex.matcher(path).replaceAll(substitution);
        } else if (matched.kind() == PathMatch.Kind.PREFIX || matched.kind() == PathMatch.Kind.SEPARATED_PREFIX) {
            rewritten = prefix + path.substring(Math.min(matched.value().length(), path.length()));
        } else {
            rewritten = prefix;
        }
        return rewritten + query;
    }

    /** Envoy writes group references as \1; re2j's replaceAll wants $1 and a literal $ escaped. */
    static String substitution(String envoy) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < envoy.length(); i++) {
            char c = envoy.charAt(i);
            if (c == '\\' && i + 1 < envoy.length() && Character.isDigit(envoy.charAt(i + 1))) {
                out.append('$').append(envoy.charAt(++i));
            } else if (c == '$') {
                out.append("\\$");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
