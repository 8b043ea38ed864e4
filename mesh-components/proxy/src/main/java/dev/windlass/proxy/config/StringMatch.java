package dev.windlass.proxy.config;

import java.util.Locale;
import com.google.re2j.Pattern;

/** Envoy's StringMatcher: exact, prefix, suffix, contains or (full-match) regex, optionally ignoring case. */
public record StringMatch(Kind kind, String value, Pattern regex, boolean ignoreCase) {

    public enum Kind { EXACT, PREFIX, SUFFIX, CONTAINS, REGEX, ANY }

    public static StringMatch of(Kind kind, String value, boolean ignoreCase) {
        return new StringMatch(kind, ignoreCase ? value.toLowerCase(Locale.ROOT) : value, null, ignoreCase);
    }

    public static StringMatch regex(String expression) throws InvalidConfigException {
        return new StringMatch(Kind.REGEX, expression, Regexes.compile(expression), false);
    }

    public boolean matches(String input) {
        if (input == null) {
            return false;
        }
        String subject = ignoreCase ? input.toLowerCase(Locale.ROOT) : input;
        return switch (kind) {
            case EXACT -> subject.equals(value);
            case PREFIX -> subject.startsWith(value);
            case SUFFIX -> subject.endsWith(value);
            case CONTAINS -> subject.contains(value);
            case REGEX -> regex.matcher(input).matches();
            case ANY -> true;
        };
    }
}
