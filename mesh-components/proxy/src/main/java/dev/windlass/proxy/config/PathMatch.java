package dev.windlass.proxy.config;

import java.util.Locale;
import com.google.re2j.Pattern;

/** A route's path matcher: prefix, exact path, safe_regex (whole path) or path_separated_prefix. */
public record PathMatch(Kind kind, String value, Pattern regex, boolean caseSensitive) {

    public enum Kind { PREFIX, EXACT, REGEX, SEPARATED_PREFIX }

    public boolean matches(String path) {
        return switch (kind) {
            case PREFIX -> startsWith(path, value);
            case EXACT -> caseSensitive ? path.equals(value) : path.equalsIgnoreCase(value);
            case REGEX -> regex.matcher(path).matches();
            case SEPARATED_PREFIX -> startsWith(path, value)
                    && (path.length() == value.length() || path.charAt(value.length()) == '/');
        };
    }

    private boolean startsWith(String path, String prefix) {
        if (caseSensitive) {
            return path.startsWith(prefix);
        }
        return path.toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT));
    }
}
